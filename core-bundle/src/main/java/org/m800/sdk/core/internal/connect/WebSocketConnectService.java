package org.m800.sdk.core.internal.connect;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.core.internal.storage.DiskQueue;
import org.m800.sdk.core.internal.transport.SharedTransport;
import org.m800.sdk.core.internal.wire.AppSigner;
import org.m800.sdk.core.internal.wire.Json;
import org.m800.sdk.core.internal.wire.WireErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConnectService} over the shared Jetty WebSocket client. All state is guarded by one lock;
 * I/O threads only parse frames and hand results to the client's event executor, so no application
 * code ever runs on an I/O thread or under the lock.
 */
public final class WebSocketConnectService implements ConnectService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnectService.class);
    private static final int PROTOCOL_VERSION = 1;
    private static final String SDK = "m800-sdk-java/1.0";
    /** How long delivered events gather before the cursor is written and acknowledged. */
    private static final long CURSOR_WRITE_DELAY_MS = 20;

    private final String clientId;
    private final String applicationVersion;
    private final ClientConfig config;
    private final AppSigner signer;
    private final SharedTransport.Lease transport;
    private final StorageService storage;
    private final Executor events;
    private final ScheduledExecutorService scheduler;
    private final Consumer<M800Exception> errors;
    private final Backoff backoff;
    private final Executor disk;
    private final java.util.concurrent.atomic.AtomicBoolean cursorWriteQueued = new java.util.concurrent.atomic.AtomicBoolean();
    // guarded by lock
    private ScheduledFuture<?> cursorWrite;
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong ids = new AtomicLong();
    private final List<Consumer<ConnectionStateEvent>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ServerEvent>> eventListeners = new CopyOnWriteArrayList<>();

    private final List<URI> servers;
    private final String cursorPrefix;
    /** connections to other endpoints that follow this one's authenticator (the call connection) */
    private final List<WebSocketConnectService> followers = new CopyOnWriteArrayList<>();
    /** the connection this one follows, or null */
    private volatile WebSocketConnectService leader;
    private final Object lock = new Object();
    private final LinkedHashMap<String, PendingRequest> pending = new LinkedHashMap<>();
    private ConnectionState state = ConnectionState.DISCONNECTED;
    private Authenticator authenticator;
    private Connection connection;
    private long generation;
    private int serverIndex;
    private int failuresInRow;
    private ScheduledFuture<?> retryTask;
    private ScheduledFuture<?> heartbeatTask;
    private String userId;
    private String cursorKey;
    private long lastReceived;
    private volatile long lastDelivered;

    /** Builds the module from its context: deps are {@code service.storage}. */
    public WebSocketConnectService(ModuleContext ctx, SharedTransport shared) {
        this(ctx, shared, ctx.config().imServers(), "connect.cursor.");
    }

    /**
     * A connection to other endpoints than the IM servers: the call servers' {@code /v1/call}
     * ({@link CoreFeature#CALL_CONNECT}), which {@link #addFollower} starts and stops with the IM
     * connection.
     *
     * @param endpoints the servers, tried in order; empty: the service never connects
     * @param cursorPrefix the storage key prefix of its event cursor (each endpoint keeps its own)
     */
    public WebSocketConnectService(ModuleContext ctx, SharedTransport shared, List<URI> endpoints,
            String cursorPrefix) {
        this.servers = List.copyOf(endpoints);
        this.cursorPrefix = cursorPrefix;
        this.disk = ctx.diskExecutor();
        this.clientId = ctx.clientId();
        this.applicationVersion = ctx.appMeta().applicationVersion();
        this.config = ctx.config();
        this.signer = new AppSigner(ctx.appMeta());
        this.storage = ctx.dependency(StorageService.MODULE, StorageService.class);
        this.events = ctx.eventExecutor();
        this.scheduler = ctx.scheduler();
        this.errors = ctx::reportError;
        this.backoff = new Backoff(config.reconnectMinDelay(), config.reconnectMaxDelay());
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
        return lastDelivered;
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
            String key = cursorPrefix + FeatureManager.userIdHash(String.valueOf(auth.userId()), 24);
            if (!key.equals(cursorKey)) {
                cursorKey = key;
                lastReceived = storage.read(key).map(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII)))
                        .orElse(0L);
                lastDelivered = lastReceived;
            }
            dropConnection("restarting with new credentials");
            failuresInRow = 0;
            serverIndex = 0;
            if (!servers.isEmpty()) {
                connect(false, "connecting");
            }
        }
        for (WebSocketConnectService f : followers) {
            f.start(auth);
        }
    }

    /**
     * Makes another connection follow this one: started with this one's authenticator now (if started)
     * and whenever this one starts, stopped when it stops. Closing either does not close the other.
     */
    public void addFollower(WebSocketConnectService follower) {
        follower.leader = this;
        followers.add(follower);
        Authenticator auth;
        synchronized (lock) {
            auth = authenticator;
        }
        if (auth != null) {
            follower.start(auth);
        }
    }

    /** Stops following; the follower itself is not stopped. */
    public void removeFollower(WebSocketConnectService follower) {
        followers.remove(follower);
    }

    @Override
    public void stop(String reason) {
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            authenticator = null;
            dropConnection(reason);
            failAll(new M800Exception(ErrorCode.NETWORK, "the connection was stopped: " + reason));
            setState(ConnectionState.DISCONNECTED, reason, null);
        }
        for (WebSocketConnectService f : followers) {
            f.stop(reason);
        }
    }

    @Override
    public void close() {
        WebSocketConnectService following = leader;
        if (following != null) {
            following.removeFollower(this);
        }
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            authenticator = null;
            dropConnection("client closed");
            failAll(new M800Exception(ErrorCode.NETWORK, "the client was closed"));
            setState(ConnectionState.CLOSED, "client closed", null);
            cancel(cursorWrite);
        }
        // the last delivered event is on disk before close returns, so a new client resumes after it
        try {
            DiskQueue.submit(disk, this::persistCursorAndAck).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("client {}: could not store the event cursor on close: {}", clientId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
    }

    @Override
    public CompletableFuture<Map<String, Object>> request(String type, Map<String, ?> data) {
        if (type == null || type.isBlank()) {
            return CompletableFuture.failedFuture(M800Exception.invalidArgument("request type must not be blank"));
        }
        String id = "r-" + idPrefix + "-" + ids.incrementAndGet();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("v", PROTOCOL_VERSION);
        frame.put("type", type);
        frame.put("id", id);
        frame.put("data", data == null ? Map.of() : data);
        String json;
        try {
            json = Json.write(frame);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e instanceof M800Exception m ? m
                    : M800Exception.invalidArgument(type + ": the data cannot be written as JSON: " + e.getMessage()));
        }
        PendingRequest request = new PendingRequest(id, type, json);
        Connection sendOn = null;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || authenticator == null) {
                String why = state == ConnectionState.CLOSED ? "the client is closed" : "not connected (log in first)";
                request.future.completeExceptionally(new M800Exception(ErrorCode.NETWORK, type + ": " + why));
                return request.future;
            }
            if (state != ConnectionState.CONNECTED && unsent() >= config.offlineQueueLimit()) {
                request.future.completeExceptionally(new M800Exception(ErrorCode.RATE_LIMITED, type
                        + ": the offline queue is full (" + config.offlineQueueLimit() + " requests, offlineQueueLimit)"));
                return request.future;
            }
            pending.put(id, request);
            long timeoutMillis = config.requestTimeout().toMillis();
            request.timeout = scheduler.schedule(() -> timedOut(request, timeoutMillis), timeoutMillis,
                    TimeUnit.MILLISECONDS);
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
            stateListeners.add(listener);
            ConnectionStateEvent now = new ConnectionStateEvent(state, state, "current state", null);
            events.execute(() -> safely(listener, now));
        }
        return () -> stateListeners.remove(listener);
    }

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    // ------------------------------------------------------- connecting

    /** Opens a connection to the current server. Caller holds the lock. */
    private void connect(boolean refreshToken, String why) {
        cancel(retryTask);
        retryTask = null;
        URI server = servers.get(serverIndex % servers.size());
        long gen = ++generation;
        Connection conn = new Connection(gen, server, refreshToken);
        connection = conn;
        setState(ConnectionState.CONNECTING, why + ": connecting to " + server, server);
        conn.deadline = scheduler.schedule(() -> attemptFailed(conn, "no hello answer within "
                + config.connectTimeout().toMillis() + " ms (connectTimeout)"), config.connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            transport.webSocket().connect(conn, server).whenComplete((session, failure) -> {
                if (failure != null) {
                    attemptFailed(conn, "cannot connect: " + rootMessage(failure));
                }
            });
        } catch (Exception | LinkageError e) {
            attemptFailed(conn, "cannot connect: " + rootMessage(e));
        }
    }

    /** An attempt failed before it was authenticated, or an open connection was lost. */
    private void attemptFailed(Connection conn, String reason) {
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
                connect(false, "connection lost (" + reason + ")");
                return;
            }
            failuresInRow++;
            serverIndex = (serverIndex + 1) % servers.size();
            if (failuresInRow % servers.size() != 0) {
                connect(false, "previous server failed (" + reason + ")");
                return;
            }
            int round = failuresInRow / servers.size();
            long delay = backoff.delayMillis(round);
            setState(ConnectionState.WAITING, reason + "; next attempt in " + delay + " ms", conn.server);
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
        Session session = conn.session;
        if (session != null && session.isOpen()) {
            session.close(code, reason, Callback.NOOP);
        }
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
            conn.authenticated = true;
            cancel(conn.deadline);
            failuresInRow = 0;
            userId = Json.text(data, "userId");
            setState(ConnectionState.CONNECTED, "connected as " + userId, conn.server);
            dropWithdrawn();
            for (PendingRequest r : pending.values()) {
                r.sentOn = conn.generation;
                conn.send(r.frame);
            }
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
            connect(true, "access token refused (" + reason + "), refreshed it");
            return;
        }
        LOG.warn("client {}: the server refused the connection: {}", clientId, refusal.getMessage());
        authenticator = null;
        failAll(new M800Exception(refusal.code(), "not connected: " + refusal.getMessage()));
        setState(ConnectionState.DISCONNECTED, "refused: " + refusal.getMessage(), conn.server);
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
            attemptFailed(conn, "no frame from the server for " + TimeUnit.NANOSECONDS.toMillis(silent)
                    + " ms (heartbeatTimeout)");
            Session s = conn.session;
            if (s != null) {
                s.disconnect();
            }
            return;
        }
        conn.send("{\"v\":1,\"type\":\"ping\",\"id\":\"p-" + ids.incrementAndGet() + "\"}");
    }

    private void closedByServer(Connection conn, int code, String reason) {
        if (code == 4001) {
            Authenticator auth;
            synchronized (lock) {
                if (conn != connection || conn.ended) {
                    return;
                }
                auth = authenticator;
                endConnection(conn, 1000, "bye");
                authenticator = null;
                failAll(new M800Exception(ErrorCode.UNAUTHORIZED, "logged out by the server: " + reason));
                setState(ConnectionState.DISCONNECTED, "logged out by the server: " + reason, conn.server);
            }
            if (auth != null) {
                events.execute(() -> auth.revoked(reason));
            }
            return;
        }
        attemptFailed(conn, "server closed the connection: " + code + (reason == null ? "" : " " + reason));
    }

    // ---------------------------------------------------------- frames

    private void onFrame(Connection conn, String text) {
        conn.lastFrameNanos = System.nanoTime();
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
                // liveness only: lastFrameNanos was updated above
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
        PendingRequest request;
        synchronized (lock) {
            request = id == null ? null : pending.remove(id);
        }
        if (request == null) {
            // an answer to a request that timed out, or a repeat after a resend: nothing waits for it
            LOG.debug("client {}: answer to unknown or finished request {}", clientId, id);
            return;
        }
        cancel(request.timeout);
        Map<String, Object> error = Json.object(frame, "error");
        if (!error.isEmpty()) {
            M800Exception failure = WireErrors.toException(error);
            events.execute(() -> request.future.completeExceptionally(failure));
        } else {
            Map<String, Object> data = Json.object(frame, "data");
            events.execute(() -> request.future.complete(data));
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
                java.util.Collections.unmodifiableMap(Json.object(frame, "data")));
        synchronized (lock) {
            if (conn != connection || seq <= lastReceived) {
                return;
            }
            if (lastReceived > 0 && seq != lastReceived + 1) {
                LOG.warn("client {}: event seq jumped from {} to {}", clientId, lastReceived, seq);
            }
            lastReceived = seq;
            events.execute(() -> deliver(event));
        }
    }

    /** On the event executor: listeners, then a coalesced cursor write and ack. */
    private void deliver(ServerEvent event) {
        for (Consumer<ServerEvent> l : eventListeners) {
            try {
                l.accept(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("client {}: an event listener threw on {} #{}", clientId, event.type(), event.seq(), e);
            }
        }
        lastDelivered = event.seq();
        if (cursorWriteQueued.compareAndSet(false, true)) {
            // a short wait gathers the events that follow into the same write: each write is an fsync,
            // which also stalls the other writes of the file system while it runs
            ScheduledFuture<?> write = scheduler.schedule(() -> DiskQueue.submit(disk, this::persistCursorAndAck),
                    CURSOR_WRITE_DELAY_MS, TimeUnit.MILLISECONDS);
            synchronized (lock) {
                cursorWrite = write;
            }
        }
    }

    /**
     * On the disk thread: stores the cursor, then acknowledges it, so the server never holds an ack the
     * client could lose. A burst of events costs one write: the newest cursor is read when the write runs.
     */
    private void persistCursorAndAck() {
        cursorWriteQueued.set(false);
        long seq = lastDelivered;
        String key;
        Connection conn;
        synchronized (lock) {
            key = cursorKey;
            conn = connection;
        }
        if (key != null) {
            try {
                storage.write(key, Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
            } catch (M800Exception e) {
                errors.accept(e);
                return;
            }
        }
        if (conn != null && conn.authenticated) {
            conn.send("{\"v\":1,\"type\":\"ack\",\"seq\":" + seq + "}");
        }
    }

    // ---------------------------------------------------------- helpers

    private void timedOut(PendingRequest request, long millis) {
        boolean removed;
        synchronized (lock) {
            removed = pending.remove(request.id, request);
        }
        if (removed) {
            events.execute(() -> request.future.completeExceptionally(new M800Exception(ErrorCode.TIMEOUT,
                    "no answer to " + request.type + " within " + millis + " ms (requestTimeout)")));
        }
    }

    private void failAll(M800Exception failure) {
        List<PendingRequest> failed = new ArrayList<>(pending.values());
        pending.clear();
        for (PendingRequest r : failed) {
            cancel(r.timeout);
            events.execute(() -> r.future.completeExceptionally(failure));
        }
    }

    private long unsent() {
        dropWithdrawn();
        return pending.values().stream().filter(r -> r.sentOn == 0).count();
    }

    /** Forgets the requests whose caller completed or cancelled the future: they are not sent again. Lock held. */
    private void dropWithdrawn() {
        pending.values().removeIf(r -> {
            if (r.future.isDone()) {
                cancel(r.timeout);
                return true;
            }
            return false;
        });
    }

    private void setState(ConnectionState next, String reason, URI server) {
        ConnectionState old = state;
        state = next;
        if (old == next && next != ConnectionState.CONNECTING) {
            return;
        }
        ConnectionStateEvent event = new ConnectionStateEvent(old, next, reason, server);
        events.execute(() -> stateListeners.forEach(l -> safely(l, event)));
    }

    private void safely(Consumer<ConnectionStateEvent> listener, ConnectionStateEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("client {}: a connection-state listener threw", clientId, e);
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }


    /** One WebSocket connection attempt; its callbacks run on Jetty's I/O threads. */
    /** Public because Jetty calls the listener methods through method handles. */
    public final class Connection implements Session.Listener.AutoDemanding {
        final long generation;
        final URI server;
        final boolean refreshedToken;
        final String helloId;
        volatile Session session;
        volatile boolean authenticated;
        volatile long lastFrameNanos = System.nanoTime();
        boolean ended;
        ScheduledFuture<?> deadline;

        Connection(long generation, URI server, boolean refreshedToken) {
            this.generation = generation;
            this.server = server;
            this.refreshedToken = refreshedToken;
            this.helloId = "h-" + idPrefix + "-" + generation;
        }

        void send(String frame) {
            Session s = session;
            if (s != null && s.isOpen()) {
                s.sendText(frame, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            Authenticator auth;
            synchronized (lock) {
                if (this != connection || ended) {
                    opened.close(1000, "bye", Callback.NOOP);
                    return;
                }
                session = opened;
                auth = authenticator;
            }
            if (auth == null) {
                return;
            }
            CompletableFuture<String> token;
            try {
                token = auth.accessToken(refreshedToken);
            } catch (RuntimeException e) {
                token = CompletableFuture.failedFuture(e);
            }
            token.whenComplete((accessToken, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    noToken(this, cause);
                } else {
                    sendHello(accessToken);
                }
            });
        }

        private void sendHello(String accessToken) {
            String path = server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
            if (server.getRawQuery() != null) {
                path = path + "?" + server.getRawQuery();
            }
            AppSigner.Signature sig = signer.sign("HELLO", path, accessToken.getBytes(StandardCharsets.UTF_8));
            Map<String, Object> app = new LinkedHashMap<>();
            app.put("key", sig.key());
            app.put("timestamp", sig.timestamp());
            app.put("nonce", sig.nonce());
            app.put("signature", sig.signature());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("versions", List.of(PROTOCOL_VERSION));
            data.put("app", app);
            data.put("accessToken", accessToken);
            long resumeFrom;
            synchronized (lock) {
                resumeFrom = lastReceived;
            }
            if (resumeFrom > 0) {
                data.put("lastSeq", resumeFrom);
            }
            data.put("client", Map.of("sdk", SDK, "applicationVersion", applicationVersion, "clientId", clientId));
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("v", PROTOCOL_VERSION);
            frame.put("type", "hello");
            frame.put("id", helloId);
            frame.put("data", data);
            send(Json.write(frame));
        }

        @Override
        public void onWebSocketText(String message) {
            onFrame(this, message);
        }

        @Override
        @SuppressWarnings("removal") // Jetty 12.1 still calls it (its replacement with a Callback calls this one)
        public void onWebSocketClose(int statusCode, String reason) {
            closedByServer(this, statusCode, reason);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            attemptFailed(this, "connection error: " + rootMessage(cause));
        }
    }

    /**
     * The authenticator could not give an access token. A passing failure (the sign-up servers are
     * unreachable, busy or slow) is a failed attempt like a refused connection: tried again with
     * back-off. Anything else (the refresh token is refused) ends the session: DISCONNECTED.
     */
    private void noToken(Connection conn, Throwable cause) {
        if (cause instanceof M800Exception m && passing(m.code())) {
            attemptFailed(conn, "cannot get an access token: " + m.getMessage());
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
            failAll(new M800Exception(failure.code(), "not connected: " + failure.getMessage()));
            setState(ConnectionState.DISCONNECTED, "no access token: " + failure.getMessage(), conn.server);
        }
    }

    private static boolean passing(ErrorCode code) {
        return code == ErrorCode.NETWORK || code == ErrorCode.TIMEOUT || code == ErrorCode.SERVER_ERROR
                || code == ErrorCode.RATE_LIMITED;
    }
}
