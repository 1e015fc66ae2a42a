package org.m800.sdk.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.m800.server.ReferenceServer;

/**
 * The M800 reference server as the runtime's {@link EmbeddedServer}: listens on 127.0.0.1, stores its
 * state in an H2 database in the data folder, and runs in development mode: it accepts the development
 * application (see {@link ClientDefaults}) and shows verification codes in its development outbox
 * ({@code m800:verifyoutbox}), which a standalone reference server does not unless asked. The ready
 * message says so ({@link #notices()}).
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
    public synchronized Map<String, String> prepare(Path dataDirectory, int port) throws Exception {
        if (server != null || closed) {
            throw new IllegalStateException(name() + (closed ? " is closed" : " is already prepared"));
        }
        ReferenceServer s = ReferenceServer.builder().host(HOST).port(port == 0 ? freeLoopbackPort() : port)
                .dataDirectory(dataDirectory).developmentApplication(true).developmentOutbox(true).build();
        server = s;
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put(RuntimeOptions.IM_SERVERS, s.imUri().toString());
        endpoints.put(RuntimeOptions.SIGN_UP_SERVERS, s.httpUri().toString());
        endpoints.put(RuntimeOptions.VERIFICATION_SERVERS, s.httpUri().toString());
        endpoints.put(RuntimeOptions.CALL_SERVERS, s.callUri().toString());
        return endpoints;
    }

    /**
     * A port free now. Another process could take it before the server binds it; the server then fails
     * to start with a clear error rather than serve elsewhere than the endpoints say.
     */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void start() throws IOException {
        ReferenceServer s;
        synchronized (this) {
            if (server == null || closed) {
                throw new IllegalStateException(name() + (closed ? " is closed" : " is not prepared"));
            }
            s = server;
        }
        s.start(); // not under this monitor: close() waits on the server's own, then stops it
    }

    /** The development mode, said at start. */
    static final String DEVELOPMENT_NOTICE = "development mode: the development application (dev-key) is accepted and"
            + " verification codes are shown to this machine (m800:verifyoutbox); not for production";

    @Override
    public List<String> notices() {
        return List.of(DEVELOPMENT_NOTICE);
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
