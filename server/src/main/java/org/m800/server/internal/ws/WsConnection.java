package org.m800.server.internal.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.m800.server.ApplicationRegistration;
import org.m800.server.internal.accounts.AuthenticatedSession;
import org.m800.server.internal.auth.SignedRequest;
import org.m800.server.internal.auth.Signatures;
import org.m800.server.internal.events.Event;
import org.m800.server.internal.events.EventSink;
import org.m800.server.internal.events.ResumePlan;
import org.m800.server.internal.limits.RequestLimiter;
import org.m800.server.internal.requests.RequestLog;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection (docs/protocol.md section 7): the hello handshake, heartbeats, acks,
 * dispatch of requests to the endpoint's handlers with de-duplication, and delivery of the user's
 * events. Jetty calls the listener methods one at a time; events arrive from other threads through
 * the {@link Outbox}.
 */
public final class WsConnection implements Session.Listener.AutoDemanding, EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
    /** The protocol version of the frames before the hello's answer. */
    private static final int FIRST_VERSION = 1;
    /** Frames of one connection that may wait for the writer at once. */
    static final int MAX_PIPELINED = 1024;
    /** How long a reading thread waits for room before the connection is closed as stuck. */
    private static final long PIPELINE_WAIT_MS = 30_000;

    private final WsServices services;
    private volatile Session session;
    private volatile Outbox outbox;
    private volatile RequestContext context;
    /** Whether this connection holds one of its user's connection places (ConnectionRegistry). */
    private final java.util.concurrent.atomic.AtomicBoolean placeHeld = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile String placeOf;
    private volatile ScheduledFuture<?> helloDeadline;
    /** When the last frame arrived (System.nanoTime), for the liveness check of {@link ConnectionRegistry#dropSilent}. */
    private volatile long lastFrameNanos = System.nanoTime();
    private int protocolErrors;
    /** The negotiated protocol version (docs/protocol.md 7.1); 1 until the hello is answered. */
    private volatile int version = FIRST_VERSION;
    /** Places for frames waiting for the database's writer (see {@link #waitForRoom}). */
    private final Semaphore pipelined = new Semaphore(MAX_PIPELINED);
    /** The newest event seq handed to the outbox; read and written under the user's event-log lock. */
    private volatile long lastDelivered = -1; // volatile only so that no reader could see half a long

    public WsConnection(WsServices services) {
        this.services = services;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.outbox = new Outbox(new JettyWire(session), Limits.MAX_QUEUED_FRAMES, services.writers());
        helloDeadline = services.scheduler().schedule(() -> {
            if (context == null) {
                close(1008, "hello timeout");
            }
        }, Limits.HELLO_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onWebSocketText(String text) {
        lastFrameNanos = System.nanoTime();
        if (context == null) {
            // the hello (and anything before it) is handled here: it writes nothing that must wait
            handle(text);
            return;
        }
        // after the hello, every frame is handled by the database's writer in a group-commit batch, in the
        // order received; its answer leaves once the batch is committed
        if (!waitForRoom()) {
            close(1008, "too many requests waiting");
            return;
        }
        if (!services.database().submit(() -> {
            try {
                handle(text);
            } finally {
                pipelined.release();
            }
        })) {
            pipelined.release();
            close(1001, "server stopping");
        }
    }

    /**
     * Bounds the frames of this connection waiting for the writer: the reading thread waits, so a client
     * that sends faster than the server commits is slowed by TCP instead of filling the memory.
     */
    private boolean waitForRoom() {
        try {
            return pipelined.tryAcquire(PIPELINE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void handle(String text) {
        try {
            onFrame(text);
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure on a frame; closing the connection", e);
            close(1011, "server error");
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        lastFrameNanos = System.nanoTime();
        callback.succeed();
        close(1003, "binary not supported");
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("WebSocket error", cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            release();
        } finally {
            callback.succeed();
        }
    }

    private void release() {
        ScheduledFuture<?> deadline = helloDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        Outbox o = outbox;
        if (o != null) {
            o.discard();
        }
        RequestContext c = context;
        if (c != null) {
            services.events().detach(c.userId(), this);
            services.connections().remove(c.sessionId(), this);
        }
        releasePlace();
    }

    /** Gives back the user's connection place, once, whoever ends the connection first. */
    private void releasePlace() {
        String user = placeOf;
        if (user != null && placeHeld.compareAndSet(true, false)) {
            services.connections().release(user);
        }
    }

    /** @return the authenticated user, or null before the hello */
    String userId() {
        RequestContext c = context;
        return c == null ? null : c.userId();
    }

    /** @return the endpoint's path */
    String path() {
        return services.path();
    }

    long lastFrameNanos() {
        return lastFrameNanos;
    }

    /** Drops the connection at once, without a close handshake (the peer is presumed dead). Any thread. */
    void drop() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
        release();
    }

    /** Closes after the frames already queued. Any thread. */
    void close(int code, String reason) {
        Outbox o = outbox;
        if (o != null) {
            // after the answers of the running batch, which leave when it commits
            services.database().afterCommit(() -> o.close(code, reason));
        }
    }

    @Override
    public void deliver(Event event, boolean replay) {
        String prefix = services.eventTypePrefix();
        if (event.seq() <= lastDelivered) {
            return; // replayed at the attach already: it was committed before its live delivery ran
        }
        lastDelivered = event.seq();
        if (prefix != null && !event.type().startsWith(prefix)) {
            return;
        }
        outbox.send(event.toFrame(version), !replay);
    }

    /**
     * An event caused by a request of this connection. From version 2 the sender's own {@code chat.message}
     * is not sent back to the connection that sent it: its answer carries the seqs (docs/protocol.md 7.6).
     */
    @Override
    public void deliverOwn(Event event) {
        if (version >= 2 && "chat.message".equals(event.type())) {
            if (event.seq() > lastDelivered) {
                lastDelivered = event.seq();
            }
            return;
        }
        deliver(event, false);
    }

    private void onFrame(String text) {
        ObjectNode frame;
        try {
            frame = Json.parseObject(text);
        } catch (WireException e) {
            fail(null, e);
            return;
        }
        String id = usableId(frame);
        if (id != null) {
            services.database().ifRolledBack(() -> fail(id, WireException.serverError("server error")));
        }
        try {
            String type = envelopeType(frame);
            if (!"hello".equals(type)) {
                checkVersion(frame);
            }
            switch (type) {
                case "ping" -> send(Json.object().put("v", version).put("type", "pong").put("id", requireId(id))
                        .put("ts", System.currentTimeMillis()));
                case "pong" -> {
                    // an answer to a ping of ours; nothing to do
                }
                case "hello" -> hello(requireId(id), data(frame));
                case "ack" -> ack(frame);
                default -> request(type, requireId(id), data(frame));
            }
        } catch (WireException e) {
            fail(id, e);
        } catch (SQLException e) {
            LOG.error("Database failure on a frame", e);
            fail(id, WireException.serverError("server error"));
        }
    }

    private static String usableId(ObjectNode frame) {
        JsonNode id = frame.get("id");
        if (id != null && id.isTextual() && Limits.REQUEST_ID.matcher(id.textValue()).matches()) {
            return id.textValue();
        }
        return null;
    }

    private static String requireId(String id) throws WireException {
        if (id == null) {
            throw WireException.protocol("BAD_ENVELOPE", "id is required and must match [A-Za-z0-9._:-]{1,64}");
        }
        return id;
    }

    private static String envelopeType(ObjectNode frame) throws WireException {
        JsonNode type = frame.get("type");
        if (type == null || !type.isTextual() || type.textValue().isEmpty()
                || type.textValue().length() > Limits.MAX_TYPE_CHARS) {
            throw WireException.protocol("BAD_ENVELOPE", "type is required: a string of 1 to 64 characters");
        }
        JsonNode id = frame.get("id");
        if (id != null && !id.isNull() && usableId(frame) == null) {
            throw WireException.protocol("BAD_ENVELOPE", "id must match [A-Za-z0-9._:-]{1,64}");
        }
        return type.textValue();
    }

    private void checkVersion(ObjectNode frame) throws WireException {
        JsonNode v = frame.get("v");
        if (v == null || !v.isIntegralNumber()) {
            throw WireException.protocol("BAD_ENVELOPE", "v is required: the protocol version, an integer");
        }
        // canConvertToInt: 2^32+1 must not be read as 1
        if (!v.canConvertToInt() || v.asInt() != version) {
            throw WireException.unsupportedVersion("frame version " + v.asText() + " is not the negotiated version "
                    + version, Limits.supportedVersions());
        }
    }

    private static ObjectNode data(ObjectNode frame) throws WireException {
        JsonNode data = frame.get("data");
        if (data == null || data.isNull()) {
            return Json.object();
        }
        if (!data.isObject()) {
            throw WireException.protocol("BAD_ENVELOPE", "data must be an object");
        }
        return (ObjectNode) data;
    }

    private void hello(String id, ObjectNode data) throws SQLException {
        if (context != null) {
            fail(id, WireException.protocol("ALREADY_AUTHENTICATED", "this connection has completed its hello"));
            return;
        }
        try {
            int negotiated = negotiate(data.get("versions"));
            ObjectNode app = Fields.requiredObject(data, "app");
            String token = Fields.requiredText(data, "accessToken", 1, 256, null);
            Long lastSeq = Fields.optionalNonNegativeLong(data, "lastSeq");
            JsonNode ts = app.get("timestamp");
            ApplicationRegistration application = services.appAuth().authenticate(new SignedRequest(
                    text(app, "key"), ts == null || !ts.isIntegralNumber() ? null : ts.asText(), text(app, "nonce"),
                    text(app, "signature"), "HELLO", services.path(),
                    Signatures.sha256Hex(token.getBytes(StandardCharsets.UTF_8))));
            AuthenticatedSession s = services.accounts().authenticate(application, token);
            RequestContext ctx = new RequestContext(s.userId(), s.sessionId(), application);
            ScheduledFuture<?> deadline = helloDeadline;
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (!services.connections().reserve(s.userId())) {
                throw WireException.rateLimited("TOO_MANY_CONNECTIONS", "this user holds the most connections "
                        + "allowed at once; close one first", 1_000);
            }
            placeOf = s.userId();
            placeHeld.set(true);
            version = negotiated;
            context = ctx;
            services.connections().add(s.sessionId(), this);
            if (services.deliversEvents()) {
                services.events().attach(s.userId(), this, new ResumePlan() {
                    @Override
                    public long resumeFrom(long head) {
                        if (lastSeq != null) {
                            return Math.min(lastSeq, head);
                        }
                        if (services.eventTypePrefix() != null) {
                            // a filtered endpoint has no ack of its own: without a cursor it starts now
                            return head;
                        }
                        return s.ackedSeq() >= 0 ? Math.min(s.ackedSeq(), head) : head;
                    }

                    @Override
                    public void started(long head, long resumeFrom, boolean gap) {
                        welcomed(id, welcome(negotiated, s, head, resumeFrom).put("gap", gap));
                    }
                });
            } else {
                long head = services.events().head(s.userId());
                welcomed(id, welcome(negotiated, s, head, head));
            }
            if (!session.isOpen()) {
                // closed while attaching: onWebSocketClose may have run before the registrations
                services.events().detach(s.userId(), this);
                services.connections().remove(s.sessionId(), this);
                releasePlace();
                return;
            }
            LOG.debug("Session {} of user {} connected to {}", s.sessionId(), s.userId(), services.path());
        } catch (WireException e) {
            fail(id, e);
            if (e.code() == WireCode.UNAUTHORIZED) {
                close(1008, "unauthorized");
            } else if (e.code() == WireCode.SERVER_ERROR) {
                close(1011, "server error");
            } else if (e.code() == WireCode.RATE_LIMITED) {
                close(1008, "too many connections");
            } else {
                close(1002, "UNSUPPORTED_VERSION".equals(e.reason()) ? "unsupported version" : "bad hello");
            }
        }
    }

    private static String text(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static int negotiate(JsonNode versions) throws WireException {
        if (versions == null || !versions.isArray() || versions.isEmpty()) {
            throw WireException.invalid("versions", "MISSING_FIELD", "versions must be a non-empty array of integers");
        }
        int best = -1;
        for (JsonNode v : (ArrayNode) versions) {
            if (!v.isIntegralNumber()) {
                throw WireException.invalid("versions", "BAD_FIELD", "versions must be integers");
            }
            for (int supported : Limits.supportedVersions()) {
                if (v.canConvertToInt() && supported == v.asInt() && supported > best) {
                    best = supported;
                }
            }
        }
        if (best < 0) {
            throw WireException.unsupportedVersion("none of the offered versions is supported; this server speaks "
                    + java.util.Arrays.toString(Limits.supportedVersions()), Limits.supportedVersions());
        }
        return best;
    }

    private ObjectNode welcome(int negotiated, AuthenticatedSession s, long head, long resumeFrom) {
        ObjectNode w = Json.object();
        w.put("version", negotiated);
        w.put("userId", s.userId());
        w.put("sessionId", s.sessionId());
        w.put("serverTime", System.currentTimeMillis());
        w.put("lastSeq", head);
        w.put("resumeFrom", resumeFrom);
        w.put("gap", false);
        long idle = services.idleTimeout().toMillis();
        w.put("heartbeatIntervalMs", Math.min(Limits.HEARTBEAT_INTERVAL.toMillis(), Math.max(1, idle / 3)));
        w.put("idleTimeoutMs", idle);
        ObjectNode limits = w.putObject("limits");
        limits.put("maxFrameBytes", Limits.MAX_FRAME_BYTES);
        limits.put("maxRequestIdChars", 64);
        return w;
    }

    private void ack(ObjectNode frame) throws WireException, SQLException {
        RequestContext ctx = requireContext();
        JsonNode seq = frame.get("seq");
        if (seq == null || !seq.isIntegralNumber() || seq.asLong() < 0) {
            throw WireException.protocol("BAD_ACK", "ack needs seq, a non-negative integer");
        }
        if (seq.asLong() > services.events().head(ctx.userId())) {
            throw WireException.protocol("BAD_ACK", "ack of seq " + seq.asLong() + " which does not exist yet");
        }
        if (services.eventTypePrefix() == null) {
            // the recorded ack is the IM session's resume point; a filtered endpoint's acks do not move it
            services.accounts().recordAck(ctx.sessionId(), seq.asLong());
        }
    }

    private RequestContext requireContext() throws WireException {
        RequestContext ctx = context;
        if (ctx == null) {
            throw WireException.unauthorized("NOT_AUTHENTICATED", "send hello first");
        }
        return ctx;
    }

    private void request(String type, String id, ObjectNode data) throws WireException, SQLException {
        RequestContext ctx = requireContext();
        RequestLimiter limiter = services.limiter();
        if (limiter != null) {
            // before the handler and the request log: a refused request costs the server nothing more
            limiter.check(ctx.userId(), type);
        }
        HandlerRegistry.Registration reg = services.handlers().find(type).orElseThrow(
                () -> WireException.protocol("UNKNOWN_TYPE", "unknown request type: " + type));
        if (!reg.deduplicate()) {
            send(answer(id, reg, ctx, data));
            return;
        }
        RequestLog log = services.requests();
        // the scope is the user; a repeat must also be of the same type with the same data
        RequestLog.Request key = new RequestLog.Request("user:" + ctx.userId(), id, type, null,
                data == null ? "" : Json.write(data));
        // no RequestLog lock: the requests of every connection run one at a time on the database's writer
        Optional<String> known = log.find(key);
        if (known.isPresent()) {
            sendAnswer(id, known.get());
            return;
        }
        ObjectNode response = answer(id, reg, ctx, data);
        JsonNode error = response.get("error");
        ObjectNode stored = Json.object();
        if (error == null) {
            stored.set("data", response.get("data"));
        } else {
            stored.set("error", error);
        }
        // written once: the text remembered is also the answer's body
        String storedJson = Json.write(stored);
        if (error == null || isFinal(error)) {
            log.remember(key, storedJson);
        }
        sendAnswer(id, storedJson);
    }

    /**
     * Sends the answer whose body ({@code {"data":...}} or {@code {"error":...}}) is already JSON text,
     * without parsing it again: the envelope's members are put before the body's.
     */
    private void sendAnswer(String id, String bodyJson) {
        if (!bodyJson.startsWith("{\"")) {
            // not an object with members (never written so): the slow way, which checks it
            ObjectNode response = envelope("response", id);
            response.setAll((ObjectNode) Json.read(bodyJson));
            send(response);
            return;
        }
        // the id matches [A-Za-z0-9._:-]{1,64} (requireId): nothing in it needs escaping
        String frame = "{\"v\":" + version + ",\"type\":\"response\",\"id\":\"" + id + "\","
                + bodyJson.substring(1);
        Outbox o = outbox;
        services.database().afterCommit(() -> o.send(frame, true));
    }

    private static boolean isFinal(JsonNode error) {
        String code = error.path("code").asText();
        return !code.equals("SERVER_ERROR") && !code.equals("RATE_LIMITED") && !code.equals("TIMEOUT");
    }

    private ObjectNode answer(String id, HandlerRegistry.Registration reg, RequestContext ctx, ObjectNode data) {
        ObjectNode response = envelope("response", id);
        services.events().beginOrigin(this, ctx.userId());
        try {
            JsonNode result = reg.handler().handle(ctx, data);
            long own = services.events().endOrigin();
            if (version >= 2 && own > 0 && result instanceof ObjectNode o) {
                // the seq of the event this request put in the user's own log (not sent to this connection);
                // on a copy: a handler may hand out an answer it keeps
                ObjectNode withSeq = o.deepCopy();
                withSeq.put("eventSeq", own);
                result = withSeq;
            }
            response.set("data", result == null ? Json.object() : result);
        } catch (WireException e) {
            response.set("error", e.toJson());
        } catch (SQLException | RuntimeException e) {
            LOG.error("Handler failed", e);
            response.set("error", WireException.serverError("server error").toJson());
        } finally {
            services.events().endOrigin();
        }
        return response;
    }

    /** The hello's answer: a frame of version 1 whatever was negotiated (docs/protocol.md 7.1). */
    private void welcomed(String id, JsonNode data) {
        ObjectNode r = envelope("response", id);
        r.put("v", FIRST_VERSION);
        r.set("data", data);
        send(r);
    }

    private void fail(String id, WireException e) {
        ObjectNode r = id == null ? envelope("error", null) : envelope("response", id);
        r.set("error", e.toJson());
        send(r);
        if (e.code() == WireCode.PROTOCOL && ++protocolErrors > Limits.MAX_PROTOCOL_ERRORS) {
            close(1002, "too many protocol errors");
        }
    }

    private ObjectNode envelope(String type, String id) {
        ObjectNode o = Json.object();
        o.put("v", version);
        o.put("type", type);
        if (id != null) {
            o.put("id", id);
        }
        return o;
    }

    /** Queues the frame, once the running batch (if any) has committed. */
    private void send(ObjectNode frame) {
        String json = Json.write(frame);
        Outbox o = outbox;
        services.database().afterCommit(() -> o.send(json, true));
    }
}
