package org.m800.sdk.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.m800.server.ReferenceServer;

/**
 * The M800 reference server as the runtime's {@link EmbeddedServer}: listens on 127.0.0.1, stores its
 * state in an H2 database in the data folder, and accepts the development application (see
 * {@link ClientDefaults}).
 */
public final class ReferenceServerEmbedding implements EmbeddedServer {

    /** The address the embedded server binds: loopback only. */
    static final String HOST = "127.0.0.1";

    private ReferenceServer server;
    private boolean closed;

    /** Called by {@link java.util.ServiceLoader}. */
    public ReferenceServerEmbedding() {
    }

    @Override
    public String name() {
        return "M800 reference server";
    }

    @Override
    public synchronized Map<String, String> start(Path dataDirectory, int port) throws Exception {
        if (server != null || closed) {
            throw new IllegalStateException(name() + (closed ? " is closed" : " is already started"));
        }
        ReferenceServer s = ReferenceServer.builder().host(HOST).port(port).dataDirectory(dataDirectory)
                .developmentApplication(true).build();
        s.start();
        server = s;
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put(RuntimeOptions.IM_SERVERS, s.imUri().toString());
        endpoints.put(RuntimeOptions.SIGN_UP_SERVERS, s.httpUri().toString());
        endpoints.put(RuntimeOptions.VERIFICATION_SERVERS, s.httpUri().toString());
        endpoints.put(RuntimeOptions.CALL_SERVERS, s.callUri().toString());
        return endpoints;
    }

    @Override
    public synchronized String address() {
        return server == null ? "(not started)" : server.httpUri().toString();
    }

    @Override
    public synchronized void close() {
        if (server != null && !closed) {
            server.close();
        }
        closed = true;
    }
}
