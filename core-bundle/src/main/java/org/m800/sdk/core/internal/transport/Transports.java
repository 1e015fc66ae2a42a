package org.m800.sdk.core.internal.transport;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.m800.sdk.core.ClientConfig;

/**
 * One {@link SharedTransport} per distinct TLS trust setting: clients that trust the same
 * certificates (almost always all of them) share one Jetty client.
 */
public final class Transports implements AutoCloseable {

    private record TrustKey(Path trustStore, String password) {
    }

    private final Map<TrustKey, SharedTransport> transports = new HashMap<>();

    /** @return the transport for the configuration's trust settings */
    public synchronized SharedTransport forConfig(ClientConfig config) {
        TrustKey key = new TrustKey(config.trustStore() == null ? null : config.trustStore().toAbsolutePath().normalize(),
                config.trustStorePassword());
        return transports.computeIfAbsent(key, k -> new SharedTransport(k.trustStore(), k.password()));
    }

    /** Stops every transport (the bundle is stopping). */
    @Override
    public synchronized void close() {
        transports.values().forEach(SharedTransport::close);
        transports.clear();
    }

    @Override
    public String toString() {
        return "Transports[" + transports.size() + "]";
    }
}
