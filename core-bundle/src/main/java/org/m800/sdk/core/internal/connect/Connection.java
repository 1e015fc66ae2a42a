package org.m800.sdk.core.internal.connect;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.m800.sdk.core.ConnectService.Authenticator;

/**
 * One WebSocket connection attempt of a {@link WebSocketConnectService}. Its callbacks run on Jetty's
 * I/O threads and only hand over to the service; public because Jetty calls the listener methods
 * through method handles. Fields without {@code volatile} are guarded by the service's lock.
 */
public final class Connection implements Session.Listener.AutoDemanding {

    final long generation;
    final URI server;
    final boolean refreshedToken;
    final String helloId;
    private final WebSocketConnectService owner;
    volatile Session session;
    volatile boolean authenticated;
    /** The protocol version the hello negotiated (docs/protocol.md 7.2, 7.7); 1 until it is answered. */
    volatile int version = 1;
    volatile long lastFrameNanos = System.nanoTime();
    boolean ended;
    ScheduledFuture<?> deadline;

    Connection(WebSocketConnectService owner, long generation, URI server, boolean refreshedToken, String idPrefix) {
        this.owner = owner;
        this.generation = generation;
        this.server = server;
        this.refreshedToken = refreshedToken;
        this.helloId = "h-" + idPrefix + "-" + generation;
    }

    /**
     * Writes a text frame if the session is open; a frame written to a closing session is lost. Frames are
     * written as version 1 ({@code {"v":1,...}}, so a queued request can go out on any connection); on a
     * version 2 connection the version is rewritten here.
     */
    void send(String frame) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendText(version == 1 ? frame : forVersion(frame, version), Callback.NOOP);
        }
    }

    private static final String V1 = "{\"v\":1,";

    static String forVersion(String frame, int version) {
        return frame.startsWith(V1) ? "{\"v\":" + version + "," + frame.substring(V1.length()) : frame;
    }

    /** Asks for the access token of this attempt (a refreshed one after a refusal); never throws. */
    CompletableFuture<String> accessToken(Authenticator auth) {
        try {
            return auth.accessToken(refreshedToken);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Closes the session, if one is open. */
    void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    /** Drops the session without a closing handshake (the peer is not answering). */
    void disconnect() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        owner.opened(this, opened);
    }

    @Override
    public void onWebSocketText(String message) {
        lastFrameNanos = System.nanoTime();
        owner.onFrame(this, message);
    }

    @Override
    @SuppressWarnings("removal") // Jetty 12.1 still calls it (its replacement with a Callback calls this one)
    public void onWebSocketClose(int statusCode, String reason) {
        owner.closedByServer(this, statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        owner.attemptFailed(this, ConnectionFailures.classify(cause), "connection error: " + ConnectionFailures.rootMessage(cause));
    }
}
