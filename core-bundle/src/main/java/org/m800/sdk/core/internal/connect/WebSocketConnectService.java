package org.m800.sdk.core.internal.connect;

import java.net.URI;
import java.util.Collections;
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
 * socket to {@link Connection}, the state listeners to {@link StateListeners}, naming a failure to
 * {@link ConnectionFailures}.
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
    private final Backoff backoff;
    private final StateListeners stateListeners;
    private final List<URI> servers;
    private final String cursorPrefix;
    private final Followers followers = new Followers();

    private final Object lock = new Object();
    private final RequestQueue requests;
    private final EventCursor cursor;
    // guarded by lock
    private ConnectionState state = ConnectionState.DISCONNECTED;
    private Authenticator authenticator;
    private Connection connection;
    private long generation;
    private int serverIndex;
    private int failuresInRow;
    private ScheduledFuture<?> retryTask;
    private ScheduledFuture<?> heartbeatTask;
    private String userId;
    /** whether the current run of failed attempts was reported as an ERROR (once per run) */
    private boolean failureReported;

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
        this.servers = List.copyOf(endpoints);
        this.cursorPrefix = cursorPrefix;
        this.clientId = ctx.clientId();
        this.applicationVersion = ctx.appMeta().applicationVersion();
        this.config = ctx.config();
        this.signer = new AppSigner(ctx.appMeta());
        this.events = ctx.eventExecutor();
        this.scheduler = ctx.scheduler();
        this.errors = ctx::reportError;
        this.backoff = new Backoff(config.reconnectMinDelay(), config.reconnectMaxDelay());
        this.stateListeners = new StateListeners(clientId, events);
        this.requests = new RequestQueue(lock, config, events, scheduler);
        this.cursor = new EventCursor(lock, clientId, ctx.dependency(StorageService.MODULE, StorageService.class),
                ctx.diskExecutor(), events, scheduler, errors, this::ack);
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
            failuresInRow = 0;
            serverIndex = 0;
            failureReported = false;
            if (!servers.isEmpty()) {
                connect(false, "connecting");
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
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            authenticator = null;
            dropConnection(reason);
            requests.failAll(new M800Exception(ErrorCode.NETWORK, "the connection was stopped: " + reason));
            setState(ConnectionState.DISCONNECTED, reason, null);
        }
        followers.stopAll(reason);
    }

    @Override
    public void close() {
        followers.leave(this);
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            authenticator = null;
            dropConnection("client closed");
            requests.failAll(new M800Exception(ErrorCode.NETWORK, "the client was closed"));
            setState(ConnectionState.CLOSED, "client closed", null);
        }
        // the last delivered event is on disk before close returns, so a new client resumes after it
        cursor.flush(5);
        transport.close();
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
            if (state != ConnectionState.CONNECTED && requests.offlineQueueFull()) {
                request.future.completeExceptionally(new M800Exception(ErrorCode.RATE_LIMITED, type
                        + ": the offline queue is full (" + config.offlineQueueLimit() + " requests, offlineQueueLimit)"));
                return request.future;
            }
            requests.add(request);
            if (state == ConnectionState.CONNECTED && connection != null && connection.authenticated) {
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
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        synchronized (lock) {
            return stateListeners.add(listener, state);
        }
    }

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        return cursor.addListener(listener);
    }

    @Override
    public Subscription onEventsMissed(Runnable listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        return cursor.addMissedListener(listener);
    }

    @Override
    public Subscription aroundEventRuns(Consumer<Runnable> around) {
        if (around == null) {
            throw M800Exception.invalidArgument("wrapper must not be null");
        }
        return cursor.addRunWrapper(around);
    }

    // ------------------------------------------------------- connecting

    /** Opens a connection to the current server. Caller holds the lock. */
    private void connect(boolean refreshToken, String why) {
        connect(refreshToken, why, null);
    }

    /** @param cause the failure that made this attempt necessary, or null */
    private void connect(boolean refreshToken, String why, ConnectionFailure cause) {
        cancel(retryTask);
        retryTask = null;
        URI server = servers.get(serverIndex % servers.size());
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
            if (conn != connection || conn.ended) {
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
        CompletableFuture<String> token;
        try {
            token = auth.accessToken(conn.refreshedToken);
        } catch (RuntimeException e) {
            token = CompletableFuture.failedFuture(e);
        }
        token.thenCombine(cursorRead, (accessToken, read) -> accessToken).whenComplete((accessToken, failure) -> {
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
            if (conn != connection || conn.ended) {
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
                failuresInRow = 0;
                connect(false, "connection lost (" + reason + ")", ConnectionFailure.LOST);
                return;
            }
            reportFirstFailure(conn.server, cause, reason);
            failuresInRow++;
            serverIndex = (serverIndex + 1) % servers.size();
            if (failuresInRow % servers.size() != 0) {
                connect(false, "previous server failed (" + reason + ")", cause);
                return;
            }
            int round = failuresInRow / servers.size();
            long delay = backoff.delayMillis(round);
            setState(ConnectionState.WAITING, reason + "; next attempt in " + delay + " ms", conn.server, cause);
            retryTask = scheduler.schedule(() -> {
                synchronized (lock) {
                    if (state == ConnectionState.WAITING && authenticator != null) {
                        connect(false, "back-off elapsed");
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
            cancel(heartbeatTask);
            heartbeatTask = null;
        }
        conn.close(code, reason);
    }

    private void helloAnswered(Connection conn, Map<String, Object> frame) {
        Map<String, Object> error = Json.object(frame, "error");
        synchronized (lock) {
            if (conn != connection || conn.ended) {
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
            failuresInRow = 0;
            failureReported = false;
            userId = Json.text(data, "userId");
            setState(ConnectionState.CONNECTED, "connected as " + userId, conn.server);
            requests.resend(conn.generation, conn::send);
            long interval = config.heartbeatInterval().toMillis();
            heartbeatTask = scheduler.scheduleAtFixedRate(() -> heartbeat(conn), interval, interval,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void helloRefused(Connection conn, Map<String, Object> error) {
        M800Exception refusal = WireErrors.toException(error);
        String reason = WireErrors.reason(error);
        boolean tokenProblem = "TOKEN_EXPIRED".equals(reason) || "TOKEN_INVALID".equals(reason);
        endConnection(conn, 1000, "bye");
        if (tokenProblem && !conn.refreshedToken) {
            LOG.info("client {}: access token refused ({}); refreshing it", clientId, reason);
            connect(true, "access token refused (" + reason + "), refreshed it", ConnectionFailure.UNAUTHORIZED);
            return;
        }
        LOG.warn("client {}: the server refused the connection: {}", clientId, refusal.getMessage());
        authenticator = null;
        requests.failAll(new M800Exception(refusal.code(), "not connected: " + refusal.getMessage()));
        ConnectionFailure cause = refusal.code() == ErrorCode.UNAUTHORIZED ? ConnectionFailure.UNAUTHORIZED
                : ConnectionFailure.REJECTED;
        setState(ConnectionState.DISCONNECTED, "refused: " + refusal.getMessage(), conn.server, cause);
        failureReported = true;
        errors.accept(refusal);
    }

    private void heartbeat(Connection conn) {
        synchronized (lock) {
            if (conn != connection || conn.ended) {
                return;
            }
        }
        long silent = System.nanoTime() - conn.lastFrameNanos;
        if (TimeUnit.NANOSECONDS.toMillis(silent) > config.heartbeatTimeout().toMillis()) {
            attemptFailed(conn, ConnectionFailure.LOST, "no frame from the server for " + TimeUnit.NANOSECONDS.toMillis(silent)
                    + " ms (heartbeatTimeout)");
            conn.disconnect();
            return;
        }
        conn.send("{\"v\":1,\"type\":\"ping\",\"id\":\"p-" + requests.nextNumber() + "\"}");
    }

    void closedByServer(Connection conn, int code, String reason) {
        if (code == 4001) {
            Authenticator auth;
            synchronized (lock) {
                if (conn != connection || conn.ended) {
                    return;
                }
                auth = authenticator;
                endConnection(conn, 1000, "bye");
                authenticator = null;
                requests.failAll(new M800Exception(ErrorCode.UNAUTHORIZED, "logged out by the server: " + reason));
                setState(ConnectionState.DISCONNECTED, "logged out by the server: " + reason, conn.server,
                        ConnectionFailure.UNAUTHORIZED);
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
            if (conn != connection || conn.ended) {
                return;
            }
            endConnection(conn, 1000, "bye");
            authenticator = null;
            M800Exception failure = cause instanceof M800Exception m ? m
                    : new M800Exception(ErrorCode.UNAUTHORIZED, "no access token: " + cause, cause);
            requests.failAll(new M800Exception(failure.code(), "not connected: " + failure.getMessage()));
            setState(ConnectionState.DISCONNECTED, "no access token: " + failure.getMessage(), conn.server,
                    ConnectionFailure.UNAUTHORIZED);
        }
    }


    // ---------------------------------------------------------- frames

    /** A text frame arrived (an I/O thread). */
    void onFrame(Connection conn, String text) {
        Map<String, Object> frame;
        try {
            frame = Json.readObject(text);
        } catch (M800Exception e) {
            errors.accept(new M800Exception(ErrorCode.PROTOCOL, "the server sent a frame that is not a JSON object: "
                    + e.getMessage()));
            return;
        }
        String type = Json.text(frame, "type");
        if (type == null) {
            errors.accept(new M800Exception(ErrorCode.PROTOCOL, "the server sent a frame without a type"));
            return;
        }
        switch (type) {
            case "response" -> onResponse(conn, frame);
            case "event" -> onEvent(conn, frame);
            case "ping" -> conn.send("{\"v\":1,\"type\":\"pong\",\"id\":" + Json.write(Json.text(frame, "id")) + "}");
            case "pong" -> {
                // liveness only: the connection noted the time of the frame
            }
            case "error" -> errors.accept(WireErrors.toException(Json.object(frame, "error")));
            default -> errors.accept(new M800Exception(ErrorCode.PROTOCOL, "the server sent an unknown frame type '"
                    + type + "'"));
        }
    }

    private void onResponse(Connection conn, Map<String, Object> frame) {
        String id = Json.text(frame, "id");
        if (id != null && id.equals(conn.helloId)) {
            helloAnswered(conn, frame);
            return;
        }
        String type = requests.answer(id, frame);
        if (type == null) {
            // an answer to a request that timed out, or a repeat after a resend: nothing waits for it
            LOG.debug("client {}: answer to unknown or finished request {}", clientId, id);
        } else {
            synchronized (lock) {
                if (conn == connection) {
                    cursor.answered(type, conn.version, frame);
                }
            }
        }
    }

    private void onEvent(Connection conn, Map<String, Object> frame) {
        long seq = Json.number(frame, "seq", -1);
        String name = Json.text(frame, "event");
        if (seq <= 0 || name == null) {
            errors.accept(new M800Exception(ErrorCode.PROTOCOL, "the server sent an event without seq or event type"));
            return;
        }
        ServerEvent event = new ServerEvent(seq, name, Json.number(frame, "ts", 0),
                Collections.unmodifiableMap(Json.object(frame, "data")));
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

    private void setState(ConnectionState next, String reason, URI server) {
        setState(next, reason, server, null);
    }

    private void setState(ConnectionState next, String reason, URI server, ConnectionFailure cause) {
        ConnectionState old = state;
        state = next;
        if (old == next && next != ConnectionState.CONNECTING) {
            return;
        }
        stateListeners.changed(old, next, reason, server, cause);
    }

    /**
     * Tells the application, once per run of failed attempts, that the connection cannot be made and
     * why, instead of leaving it to find out from a request's TIMEOUT. Lock held.
     */
    private void reportFirstFailure(URI server, ConnectionFailure cause, String reason) {
        if (failureReported) {
            return;
        }
        failureReported = true;
        errors.accept(new M800Exception(ErrorCode.NETWORK, "client " + clientId + " cannot connect to " + server
                + " (" + cause + "): " + reason + "; retrying with back-off"));
    }

    private static void cancel(ScheduledFuture<?> task) {
        RequestQueue.cancel(task);
    }
}
