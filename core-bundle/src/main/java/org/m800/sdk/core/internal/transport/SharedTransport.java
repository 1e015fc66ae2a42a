package org.m800.sdk.core.internal.transport;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty HTTP and WebSocket clients shared by every client of one core feature (one per JVM in
 * practice). Counted and lazy: the first {@link Lease#http()} or {@link Lease#webSocket()} while some
 * lease is open starts them, the last lease's close stops them, so a JVM without open clients runs
 * no Jetty thread, and a client that never reaches a server (offline, not logged in) starts none: a
 * Jetty start is a good part of a client's creation cost in a fresh JVM. Its thread count does not
 * depend on the number of clients. Thread-safe.
 */
public final class SharedTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedTransport.class);
    private static final int MAX_THREADS = 16;
    private static final int MAX_QUEUED_PER_SERVER = 65_536;
    /** What the SDK accepts from a server in one message. */
    public static final int MAX_INCOMING_MESSAGE = 1 << 20;

    private final Object lock = new Object();
    private final java.nio.file.Path trustStore;
    private final String trustStorePassword;
    private int users;
    private boolean closed;
    private HttpClient http;
    private WebSocketClient webSocket;

    /**
     * @param trustStore certificates to trust for TLS, or {@code null} for the JVM's default trust
     * @param trustStorePassword its password, or {@code null}
     */
    public SharedTransport(java.nio.file.Path trustStore, String trustStorePassword) {
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
    }

    /** A user's hold on the clients; closing it twice releases once. */
    public final class Lease implements AutoCloseable {
        private boolean released;

        private Lease() {
        }

        /**
         * @return the shared HTTP client, started by this call if no one has used it since the last start
         * @throws M800Exception NETWORK if Jetty cannot start; ILLEGAL_STATE if this lease or the transport
         *         is closed
         */
        public HttpClient http() {
            synchronized (lock) {
                return started(this).http;
            }
        }

        /** @return the shared WebSocket client; throws as {@link #http()} */
        public WebSocketClient webSocket() {
            synchronized (lock) {
                return started(this).webSocket;
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (released) {
                    return;
                }
                released = true;
                release();
            }
        }
    }

    /** @return a hold on the clients; nothing is started before the lease's first use */
    public Lease acquire() {
        synchronized (lock) {
            users++;
            return new Lease();
        }
    }

    /** @return whether the Jetty clients run now (for tests) */
    boolean running() {
        synchronized (lock) {
            return http != null;
        }
    }

    /** Lock held. */
    private SharedTransport started(Lease lease) {
        if (lease.released || closed) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, closed ? "the core feature has stopped"
                    : "the client has closed");
        }
        if (http == null) {
            start();
        }
        return this;
    }

    /** Lock held. */
    private void start() {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("m800-io");
        // no reserved threads: Jetty would otherwise wake a spare thread to take over the selector for
        // every readable connection, a context switch per frame that cost the SDK about a quarter of its CPU in W1
        threads.setReservedThreads(0);
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setScheduler(new ScheduledExecutorScheduler("m800-io-scheduler", true));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        // one client per JVM serves every SDK client: a gateway's clients all refreshing their tokens at
        // once must queue, not be refused at Jetty's default of 1,024 per server
        client.setMaxRequestsQueuedPerDestination(MAX_QUEUED_PER_SERVER);
        if (trustStore != null) {
            org.eclipse.jetty.util.ssl.SslContextFactory.Client tls = new org.eclipse.jetty.util.ssl.SslContextFactory.Client();
            tls.setTrustStorePath(trustStore.toAbsolutePath().toString());
            tls.setTrustStoreType(trustStore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            if (trustStorePassword != null) {
                tls.setTrustStorePassword(trustStorePassword);
            }
            client.setSslContextFactory(tls);
        }
        WebSocketClient ws = new WebSocketClient(client);
        ws.setMaxTextMessageSize(MAX_INCOMING_MESSAGE);
        // Jetty looks up WebSocket extensions with the context class loader; in OSGi that must be Jetty's.
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(WebSocketClient.class.getClassLoader());
        try {
            client.start();
            // A 401 is an answer of the protocol (docs/protocol.md section 3), not an HTTP auth challenge;
            // the handler is installed by start(), so it is removed after it.
            client.getProtocolHandlers().remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
            ws.start();
        } catch (Exception e) {
            stopQuietly(ws, client);
            throw new M800Exception(ErrorCode.NETWORK, "cannot start the HTTP/WebSocket client: " + e, e);
        } finally {
            current.setContextClassLoader(previous);
        }
        http = client;
        webSocket = ws;
        LOG.debug("shared transport started");
    }

    /** Lock held. */
    private void release() {
        users--;
        if (users == 0 && http != null) {
            stopQuietly(webSocket, http);
            webSocket = null;
            http = null;
            LOG.debug("shared transport stopped: no user left");
        }
    }

    /** Stops the clients whatever the leases say (the bundle is stopping); no lease starts them again. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (http != null) {
                stopQuietly(webSocket, http);
                webSocket = null;
                http = null;
            }
            users = 0;
        }
    }

    private static void stopQuietly(WebSocketClient ws, HttpClient client) {
        try {
            if (ws != null) {
                ws.stop();
            }
        } catch (Exception e) {
            LOG.warn("stopping the WebSocket client failed", e);
        }
        try {
            if (client != null) {
                client.stop();
            }
        } catch (Exception e) {
            LOG.warn("stopping the HTTP client failed", e);
        }
    }
}
