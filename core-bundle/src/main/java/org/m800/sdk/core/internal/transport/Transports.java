package org.m800.sdk.core.internal.transport;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.m800.sdk.core.ClientConfig;

/**
 * One {@link SharedTransport} per distinct TLS trust setting: clients that trust the same
 * certificates (almost always all of them) share one Jetty client.
 */
public final class Transports implements AutoCloseable {

    /**
     * Not a record: a record's equals and hashCode are bootstrapped through invokedynamic at their first
     * call, about 1 % of a runtime's start-up CPU for this one map key.
     */
    private static final class TrustKey {
        private final Path trustStore;
        private final String password;

        TrustKey(Path trustStore, String password) {
            this.trustStore = trustStore;
            this.password = password;
        }

        Path trustStore() {
            return trustStore;
        }

        String password() {
            return password;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TrustKey k && Objects.equals(trustStore, k.trustStore) && Objects.equals(password, k.password);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(trustStore) * 31 + Objects.hashCode(password);
        }
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
