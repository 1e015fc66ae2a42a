package org.m800.sdk.core.internal.connect;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionFailure;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.core.internal.transport.SharedTransport;
import org.m800.sdk.core.internal.wire.AppSigner;
import org.m800.sdk.core.internal.wire.Json;
import org.m800.sdk.core.internal.wire.WireErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConnectService} over the shared Jetty WebSocket client: the connection state machine
 * (connect, hello, heartbeats, reconnect with back-off across the servers, log-out by the server).
 * What it delegates: the unanswered requests to {@link RequestQueue}, the event stream and its stored
 * cursor to {@link EventCursor}, the connections that follow its log-in to {@link Followers}, one
 * socket to {@link Connection}, reading the frames it receives to {@link FrameReader}, which server
 * next and when to {@link ServerRotation}, the state listeners to {@link StateListeners}, naming a
 * failure to {@link ConnectionFailures}.
 *
 * <p>All state is guarded by one lock, shared with the queue and the cursor. I/O threads only parse
 * frames and hand results to the client's event executor, so no application code ever runs on an I/O
 * thread or under the lock; storage is read and written on the disk executor only.
 */
public final class WebSocketConnectService implements ConnectService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnectService.class);

    private final String clientId;
    private final String applicationVersion;
    private final ClientConfig config;
    private final AppSigner signer;
    private final SharedTransport.Lease transport;
    private final Executor events;
    private final ScheduledExecutorService scheduler;
    private final Consumer<M800Exception> errors;
    private final StateListeners stateListeners;
    private final String cursorPrefix;
    private final Followers followers = new Followers();

    private final Object lock = new Object();
    private final RequestQueue requests;
    private final EventCursor cursor;
    private final FrameReader frames;
    // guarded by lock
    private final ServerRotation rotation;
    private ConnectionState state = ConnectionState.DISCONNECTED;
    private Authenticator authenticator;
    private Connection connection;
    private long generation;
    private ScheduledFuture<?> retryTask;
    private Heartbeat heartbeat;
    private String userId;

    /** Builds the module from its context: deps are {@code service.storage}. */
    public WebSocketConnectService(ModuleContext ctx, SharedTransport shared) {
        this(ctx, shared, ctx.config().imServers(), "connect.cursor.");
    }

    /**
     * A connection to other endpoints than the IM servers: the call servers' {@code /v1/call}
     * ({@link org.m800.sdk.core.internal.CoreFeature#CALL_CONNECT}), which {@link #addFollower} starts
     * and stops with the IM connection.
     *
     * @param endpoints the servers, tried in order; empty: the service never connects
     * @param cursorPrefix the storage key prefix of its event cursor (each endpoint keeps its own)
     */
    public WebSocketConnectService(ModuleContext ctx, SharedTransport shared, List<URI> endpoints,
            String cursorPrefix) {
        this.cursorPrefix = cursorPrefix;
        this.clientId = ctx.clientId();
        this.applicationVersion = ctx.appMeta().applicationVersion();
        this.config = ctx.config();
        this.signer = new AppSigner(ctx.appMeta());
        this.events = ctx.eventExecutor();
        this.scheduler = ctx.scheduler();
        this.errors = ctx::reportError;
        this.rotation = new ServerRotation(endpoints, config.reconnectMinDelay(), config.reconnectMaxDelay());
        this.stateListeners = new StateListeners(clientId, events);
        this.requests = new RequestQueue(lock, config, events, scheduler);
        this.cursor = new EventCursor(lock, clientId, ctx.dependency(StorageService.MODULE, StorageService.class),
                ctx.diskExecutor(), events, scheduler, errors, this::ack);
        this.frames = new FrameReader(this, clientId, requests, errors);
        this.transport = shared.acquire();
    }

    // ---------------------------------------------------------------- API

    @Override
    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public String userId() {
        synchronized (lock) {
            return userId;
        }
    }

    @Override
    public long lastSeq() {
        return cursor.lastDelivered();
    }

    @Override
    public void start(Authenticator auth) {
        if (auth == null) {
            throw M800Exception.invalidArgument("authenticator must not be null");
        }
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the connection of client " + clientId + " is closed");
            }
            authenticator = auth;
            // read on the disk executor; the hello waits for it
            cursor.select(cursorPrefix + FeatureManager.userIdHash(String.valueOf(auth.userId()), 24));
            dropConnection("restarting with new credentials");
            rotation.restart();
            if (!rotation.isEmpty()) {
                connect(false, "connecting", null);
            }
        }
        followers.startAll(auth);
    }

    /**
     * Makes another connection follow this one: started with this one's authenticator now (if started)
     * and whenever this one starts, stopped when it stops. Closing either does not close the other.
     */
    public void addFollower(WebSocketConnectService follower) {
        Authenticator auth;
        synchronized (lock) {
            auth = authenticator;
        }
        followers.add(this, follower, auth);
    }

    /** Stops following; the follower itself is not stopped. */
    public void removeFollower(WebSocketConnectService follower) {
        followers.remove(follower);
    }

    Followers followers() {
        return followers;
    }

    @Override
    public void stop(String reason) {
        if (shutDown(ConnectionState.DISCONNECTED, reason, "the connection was stopped: " + reason)) {
            followers.stopAll(reason);
        }
    }

    @Override
    public void close() {
        followers.leave(this);
        if (!shutDown(ConnectionState.CLOSED, "client closed", "the client was closed")) {
            return;
        }
        // the last delivered event is on disk before close returns, so a new client resumes after it
        cursor.flush(5);
        transport.close();
    }

    /**
     * Ends the current connection, fails every waiting request with NETWORK and goes to {@code to}.
     *
     * @return false if the service was closed already (nothing done)
     */
    private boolean shutDown(ConnectionState to, String reason, String failure) {
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                return false;
            }
            authenticator = null;
            dropConnection(reason);
            requests.failAll(new M800Exception(ErrorCode.NETWORK, failure));
            setState(to, reason, null, null);
            return true;
        }
    }

    @Override
    public CompletableFuture<Map<String, Object>> request(String type, Map<String, ?> data) {
        if (type == null || type.isBlank()) {
            return CompletableFuture.failedFuture(M800Exception.invalidArgument("request type must not be blank"));
        }
        PendingRequest request = requests.frame(type, data);
        if (request.future.isDone()) {
            return request.future;
        }
        Connection sendOn = null;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || authenticator == null) {
                String why = state == ConnectionState.CLOSED ? "the client is closed" : "not connected (log in first)";
                request.future.completeExceptionally(new M800Exception(ErrorCode.NETWORK, type + ": " + why));
                return request.future;
            }
            boolean online = state == ConnectionState.CONNECTED;
            if (requests.add(request, online) && online && connection != null && connection.authenticated) {
                request.sentOn = connection.generation;
                sendOn = connection;
            }
        }
        if (sendOn != null) {
            // written outside the lock: the I/O threads need it for every frame that arrives. Should the
            // connection end meanwhile, the request is pending and the next connection sends it again.
            sendOn.send(request.frame);
        }
        return request.future;
    }

    @Override
    public Subscription onStateChange(Consumer<ConnectionStateEvent> listener) {
        requireListener(listener);
        synchronized (lock) {
            return stateListeners.add(listener, state);
        }
    }

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        requireListener(listener);
        return cursor.addListener(listener);
    }

    @Override
    public Subscription onEventsMissed(Runnable listener) {
        requireListener(listener);
        return cursor.addMissedListener(listener);
    }

    private static void requireListener(Object listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
    }

    // ------------------------------------------------------- connecting

    /**
     * Opens a connection to the current server. Lock held.
     *
     * @param cause the failure that made this attempt necessary, or null
     */
    private void connect(boolean refreshToken, String why, ConnectionFailure cause) {
        cancel(retryTask);
        retryTask = null;
        URI server = rotation.current();
        long gen = ++generation;
        Connection conn = new Connection(this, gen, server, refreshToken, requests.idPrefix());
        connection = conn;
        setState(ConnectionState.CONNECTING, why + ": connecting to " + server, server, cause);
        conn.deadline = scheduler.schedule(() -> attemptFailed(conn, ConnectionFailure.TIMEOUT, "no hello answer within "
                + config.connectTimeout().toMillis() + " ms (connectTimeout)"), config.connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            transport.webSocket().connect(conn, server).whenComplete((session, failure) -> {
                if (failure != null) {
                    attemptFailed(conn, ConnectionFailures.classify(failure), "cannot connect: " + ConnectionFailures.rootMessage(failure));
                }
            });
        } catch (Exception | LinkageError e) {
            attemptFailed(conn, ConnectionFailures.classify(e), "cannot connect: " + ConnectionFailures.rootMessage(e));
        }
    }

    /** The socket is open (an I/O thread): gets a token and, once the event cursor is read, says hello. */
    void opened(Connection conn, Session opened) {
        Authenticator auth;
        CompletableFuture<Void> cursorRead;
        synchronized (lock) {
            if (stale(conn)) {
                opened.close(1000, "bye", Callback.NOOP);
                return;
            }
            conn.session = opened;
            auth = authenticator;
            cursorRead = cursor.loaded();
        }
        if (auth == null) {
            return;
        }
        conn.accessToken(auth).thenCombine(cursorRead, (accessToken, read) -> accessToken).whenComplete((accessToken, failure) -> {
            if (failure != null) {
                noToken(conn, failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                long resumeFrom;
                synchronized (lock) {
                    resumeFrom = cursor.resumeFrom();
                }
                conn.send(Hello.frame(signer, conn.server, conn.helloId, accessToken, resumeFrom, clientId,
                        applicationVersion));
            }
        });
    }

    /** An attempt failed before it was authenticated, or an open connection was lost. */
    void attemptFailed(Connection conn, ConnectionFailure cause, String reason) {
        synchronized (lock) {
            if (stale(conn)) {
                return;
            }
            boolean wasConnected = conn.authenticated;
            endConnection(conn, 1000, "bye");
            if (authenticator == null || state == ConnectionState.CLOSED) {
                return;
            }
            LOG.info("client {}: {} ({})", clientId, wasConnected ? "connection lost" : "connection failed", reason);
            if (wasConnected) {
                // A connection that worked is retried at once on the same server.
                rotation.lost();
                connect(false, "connection lost (" + reason + ")", ConnectionFailure.LOST);
                return;
            }
            if (rotation.reportOnce()) {
                // the application hears once per run of failures why it cannot connect, not from a request's TIMEOUT
                errors.accept(new M800Exception(ErrorCode.NETWORK, "client " + clientId + " cannot connect to "
                        + conn.server + " (" + cause + "): " + reason + "; retrying with back-off"));
            }
            long delay = rotation.failed();
            if (delay == ServerRotation.NOW) {
                connect(false, "previous server failed (" + reason + ")", cause);
                return;
            }
            setState(ConnectionState.WAITING, reason + "; next attempt in " + delay + " ms", conn.server, cause);
            retryTask = scheduler.schedule(() -> {
                synchronized (lock) {
                    if (state == ConnectionState.WAITING && authenticator != null) {
                        connect(false, "back-off elapsed", null);
                    }
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops using the current connection without changing state. Caller holds the lock. */
    private void dropConnection(String reason) {
        cancel(retryTask);
        retryTask = null;
        if (connection != null) {
            endConnection(connection, 1000, "bye");
            LOG.debug("client {}: dropped connection: {}", clientId, reason);
        }
    }

    private void endConnection(Connection conn, int code, String reason) {
        conn.ended = true;
        cancel(conn.deadline);
        if (conn == connection) {
            connection = null;
            if (heartbeat != null) {
                heartbeat.stop();
                heartbeat = null;
            }
        }
        conn.close(code, reason);
    }

    /**
     * The session ends for good (refused, logged out by the server, no access token): no new attempt
     * until {@link #start} is called again, and every waiting request fails with {@code failure}. Lock held.
     */
    private void endSession(Connection conn, M800Exception failure, String why, ConnectionFailure cause) {
        endConnection(conn, 1000, "bye");
        authenticator = null;
        requests.failAll(failure);
        setState(ConnectionState.DISCONNECTED, why, conn.server, cause);
    }

    /** The answer to the hello arrived (an I/O thread): connected, or refused. */
    void helloAnswered(Connection conn, Map<String, Object> frame) {
        Map<String, Object> error = Json.object(frame, "error");
        synchronized (lock) {
            if (stale(conn)) {
                return;
            }
            if (!error.isEmpty()) {
                helloRefused(conn, error);
                return;
            }
            Map<String, Object> data = Json.object(frame, "data");
            // version 2: the answer to chat.send replaces the echo of the own message (docs/protocol.md 7.7)
            conn.version = Json.number(data, "version", 1) == 2 ? 2 : 1;
            if (Boolean.TRUE.equals(data.get("gap"))) {
                cursor.eventsMissed();
            }
            conn.authenticated = true;
            cancel(conn.deadline);
            rotation.connected();
            userId = Json.text(data, "userId");
            setState(ConnectionState.CONNECTED, "connected as " + userId, conn.server, null);
            requests.resend(conn.generation, conn::send);
            heartbeat = Heartbeat.start(scheduler, config, conn, requests::nextNumber, this::current,
                    (lost, why) -> attemptFailed(lost, ConnectionFailure.LOST, why));
        }
    }

    private void helloRefused(Connection conn, Map<String, Object> error) {
        M800Exception refusal = WireErrors.toException(error);
        String reason = WireErrors.reason(error);
        boolean tokenProblem = "TOKEN_EXPIRED".equals(reason) || "TOKEN_INVALID".equals(reason);
        if (tokenProblem && !conn.refreshedToken) {
            endConnection(conn, 1000, "bye");
            LOG.info("client {}: access token refused ({}); refreshing it", clientId, reason);
            connect(true, "access token refused (" + reason + "), refreshed it", ConnectionFailure.UNAUTHORIZED);
            return;
        }
        LOG.warn("client {}: the server refused the connection: {}", clientId, refusal.getMessage());
        ConnectionFailure cause = refusal.code() == ErrorCode.UNAUTHORIZED ? ConnectionFailure.UNAUTHORIZED
                : ConnectionFailure.REJECTED;
        endSession(conn, new M800Exception(refusal.code(), "not connected: " + refusal.getMessage()),
                "refused: " + refusal.getMessage(), cause);
        rotation.reportOnce();
        errors.accept(refusal);
    }

    void closedByServer(Connection conn, int code, String reason) {
        if (code == 4001) {
            Authenticator auth;
            synchronized (lock) {
                if (stale(conn)) {
                    return;
                }
                auth = authenticator;
                endSession(conn, new M800Exception(ErrorCode.UNAUTHORIZED, "logged out by the server: " + reason),
                        "logged out by the server: " + reason, ConnectionFailure.UNAUTHORIZED);
            }
            if (auth != null) {
                events.execute(() -> auth.revoked(reason));
            }
            return;
        }
        attemptFailed(conn, ConnectionFailures.closedBy(code),
                "server closed the connection: " + code + (reason == null ? "" : " " + reason));
    }

    /**
     * The authenticator could not give an access token. A passing failure (the sign-up servers are
     * unreachable, busy or slow) is a failed attempt like a refused connection: tried again with
     * back-off. Anything else (the refresh token is refused) ends the session: DISCONNECTED.
     */
    private void noToken(Connection conn, Throwable cause) {
        if (cause instanceof M800Exception m && ConnectionFailures.passing(m.code())) {
            attemptFailed(conn, ConnectionFailures.ofToken(m.code()), "cannot get an access token: " + m.getMessage());
            return;
        }
        synchronized (lock) {
            if (stale(conn)) {
                return;
            }
            M800Exception failure = cause instanceof M800Exception m ? m
                    : new M800Exception(ErrorCode.UNAUTHORIZED, "no access token: " + cause, cause);
            endSession(conn, new M800Exception(failure.code(), "not connected: " + failure.getMessage()),
                    "no access token: " + failure.getMessage(), ConnectionFailure.UNAUTHORIZED);
        }
    }

    // ---------------------------------------------------------- frames

    /** A text frame arrived (an I/O thread). */
    void onFrame(Connection conn, String text) {
        frames.read(conn, text);
    }

    /** The server sent an event on {@code conn} (an I/O thread): to the cursor, if conn is current. */
    void eventReceived(Connection conn, ServerEvent event) {
        synchronized (lock) {
            if (conn == connection) {
                cursor.received(event, conn.version >= 2);
            }
        }
    }

    /** Acknowledges a stored cursor on the current connection (the disk thread). */
    private void ack(long seq) {
        Connection conn;
        synchronized (lock) {
            conn = connection;
        }
        if (conn != null && conn.authenticated) {
            conn.send("{\"v\":1,\"type\":\"ack\",\"seq\":" + seq + "}");
        }
    }

    // ---------------------------------------------------------- helpers

    private void setState(ConnectionState next, String reason, URI server, ConnectionFailure cause) {
        ConnectionState old = state;
        state = next;
        if (old == next && next != ConnectionState.CONNECTING) {
            return;
        }
        stateListeners.changed(old, next, reason, server, cause);
    }

    private boolean current(Connection conn) {
        synchronized (lock) {
            return !stale(conn);
        }
    }

    /** Whether {@code conn} was replaced or ended: what it reports no longer matters. Lock held. */
    private boolean stale(Connection conn) {
        return conn != connection || conn.ended;
    }

    private static void cancel(ScheduledFuture<?> task) {
        RequestQueue.cancel(task);
    }
}
