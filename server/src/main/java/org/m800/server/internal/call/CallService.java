package org.m800.server.internal.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.m800.server.CallSettings;
import org.m800.server.internal.chat.BlockPolicy;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.m800.server.internal.ws.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call signalling (docs/protocol.md section 13): the requests of the call endpoint, the state machine of
 * each call, its events in both parties' event logs, the ring and media timeouts and the relay legs.
 * Active calls live in memory; every change is also written to {@code call_records}. Thread-safe: the
 * transitions of one call run under its monitor.
 */
final class CallService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallService.class);
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int MAX_LOG_PAGE = 100;

    private final Database database;
    private final EventLog events;
    private final Clock clock;
    private final CallSettings settings;
    private final MediaRelay relay;
    private final ScheduledExecutorService scheduler;
    private final CallRecords records;
    private final java.util.function.Supplier<BlockPolicy> blocks;
    private final ConcurrentHashMap<String, ActiveCall> calls = new ConcurrentHashMap<>();

    CallService(Database database, EventLog events, Clock clock, CallSettings settings, MediaRelay relay,
            ScheduledExecutorService scheduler, java.util.function.Supplier<BlockPolicy> blocks) {
        this.blocks = blocks;
        this.database = database;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.relay = relay;
        this.scheduler = scheduler;
        this.records = new CallRecords(database);
    }

    /** Ends the calls a previous run left open and starts the media watchdog. */
    void start() throws SQLException {
        int orphans = records.closeOrphans(clock.millis());
        if (orphans > 0) {
            LOG.info("{} call(s) left open by the previous run ended with SERVER_RESTART", orphans);
        }
        long period = Math.max(50, Math.min(1_000, settings.mediaTimeout().toMillis() / 4));
        // timer work runs on the database's writer, as the requests do: it locks calls and appends events,
        // which from another thread would wait for the writer while holding a call the writer may need
        scheduler.scheduleWithFixedDelay(() -> database.submit(this::checkMedia), period, period,
                TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------------------------ requests

    JsonNode invite(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String callId = Fields.requiredText(data, "callId", 1, 64, ID);
        String to = Fields.requiredText(data, "to", 1, 64, null);
        String sdpText = Fields.requiredText(data, "sdp", 1, Sdp.MAX_CHARS, null);
        String device = device(ctx, data);
        if (to.equals(ctx.userId())) {
            throw WireException.invalid("to", "SELF_CALL", "a user cannot call itself");
        }
        requireSameCarrier(ctx.userId(), to);
        Sdp offer = Sdp.parse(sdpText, "sdp");
        if (calls.containsKey(callId) || records.exists(callId)) {
            throw WireException.of(WireCode.CONFLICT, "CALL_EXISTS", "a call with id " + callId + " exists");
        }
        boolean blocked = blocks.get().blocks(to, ctx.userId());
        boolean inCall = !blocked && inAnsweredCall(to);
        long now = clock.millis();
        if (inCall && settings.busyWhenInCall()) {
            events.appendAll(List.of(ctx.userId()), "call.ended", ended(callId, "BUSY", to, null, now, 0), s -> {
                CallRecords.insert(s, callId, ctx.userId(), to, now, false);
                CallRecords.ended(s, callId, now, "BUSY", to);
                return null;
            });
            return accepted(callId, now);
        }
        MediaRelay.Pair legs;
        try {
            legs = relay.open();
        } catch (IOException e) {
            LOG.warn("No relay ports for call {}: {}", callId, e.getMessage());
            throw WireException.of(WireCode.SERVER_ERROR, "RELAY_UNAVAILABLE", "the media relay has no free port");
        }
        ActiveCall call = new ActiveCall(callId, ctx.userId(), to, device, now, inCall, offer, legs);
        call.hidden = blocked;
        synchronized (call) {
            if (calls.putIfAbsent(callId, call) != null) {
                legs.close();
                throw WireException.of(WireCode.CONFLICT, "CALL_EXISTS", "a call with id " + callId + " exists");
            }
            ObjectNode incoming = Json.object();
            incoming.put("callId", callId);
            incoming.put("from", ctx.userId());
            incoming.put("to", to);
            incoming.put("callerDevice", device);
            incoming.put("sdp", offer.pointedAt(relay.host(), legs.b.port));
            incoming.put("createdAt", now);
            incoming.put("ringTimeoutMs", settings.ringTimeout().toMillis());
            incoming.put("waiting", inCall);
            try {
                // a blocked caller is not told: the call rings nowhere and ends after the ring timeout
                events.appendAll(blocked ? List.of() : List.of(to), "call.incoming", Json.write(incoming), s -> {
                    CallRecords.insert(s, callId, ctx.userId(), to, now, blocked);
                    return null;
                });
            } catch (SQLException | RuntimeException e) {
                calls.remove(callId, call);
                legs.close();
                throw e;
            }
            call.ringTimer = scheduler.schedule(() -> database.submit(() -> ringTimedOut(call)),
                    settings.ringTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        return accepted(callId, now);
    }

    private ObjectNode accepted(String callId, long now) {
        ObjectNode r = Json.object();
        r.put("callId", callId);
        r.put("createdAt", now);
        r.put("ringTimeoutMs", settings.ringTimeout().toMillis());
        return r;
    }

    JsonNode ringing(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        ActiveCall call = find(ctx, data);
        String device = device(ctx, data);
        synchronized (call) {
            requireCallee(ctx, call);
            if (call.state == ActiveCall.State.RINGING && !call.ringingSent) {
                call.ringingSent = true;
                ObjectNode e = Json.object().put("callId", call.id).put("device", device);
                events.append(call.callerId, "call.ringing", e);
            }
            return Json.object().put("state", call.state.name());
        }
    }

    JsonNode answer(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String sdpText = Fields.requiredText(data, "sdp", 1, Sdp.MAX_CHARS, null);
        String device = device(ctx, data);
        Sdp answer = Sdp.parse(sdpText, "sdp");
        ActiveCall call = find(ctx, data);
        InetSocketAddress calleeAt = resolve(answer);
        InetSocketAddress callerAt = resolve(call.offer);
        synchronized (call) {
            requireCallee(ctx, call);
            requireRinging(call);
            long now = clock.millis();
            call.state = ActiveCall.State.ANSWERED;
            call.answeredAt = now;
            call.answeredDevice = device;
            cancelRing(call);
            call.relay.a.declared = callerAt;
            call.relay.b.declared = calleeAt;
            call.relay.start(System.nanoTime());
            ObjectNode toCaller = Json.object().put("callId", call.id).put("device", device).put("answeredAt", now)
                    .put("sdp", answer.pointedAt(relay.host(), call.relay.a.port));
            ObjectNode toCallee = Json.object().put("callId", call.id).put("device", device).put("answeredAt", now);
            events.appendAll(List.of(call.callerId), "call.answered", Json.write(toCaller), s -> {
                CallRecords.answered(s, call.id, now);
                return null;
            });
            events.append(call.calleeId, "call.answered", toCallee);
            return Json.object().put("callId", call.id).put("answeredAt", now);
        }
    }

    JsonNode reject(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String reason = Fields.optionalText(data, "reason", 1, 16, Pattern.compile("DECLINED|BUSY|INCOMPATIBLE"));
        String device = device(ctx, data);
        ActiveCall call = find(ctx, data);
        synchronized (call) {
            requireCallee(ctx, call);
            requireRinging(call);
            end(call, reason == null ? "DECLINED" : reason, ctx.userId(), device);
            return Json.object();
        }
    }

    JsonNode cancel(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        ActiveCall call = find(ctx, data);
        String device = device(ctx, data);
        synchronized (call) {
            if (!call.callerId.equals(ctx.userId())) {
                throw WireException.of(WireCode.UNAUTHORIZED, "NOT_CALLER", "only the caller cancels a call");
            }
            requireRinging(call);
            end(call, "CANCELLED", ctx.userId(), device);
            return Json.object();
        }
    }

    JsonNode hangup(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String callId = Fields.requiredText(data, "callId", 1, 64, ID);
        String reason = Fields.optionalText(data, "reason", 1, 16, Pattern.compile("HANGUP|MEDIA_TIMEOUT"));
        String device = device(ctx, data);
        ActiveCall call = calls.get(callId);
        if (call == null || !call.isParty(ctx.userId())) {
            if (isPartyOfRecord(callId, ctx.userId())) {
                return Json.object().put("alreadyEnded", true);
            }
            throw noSuchCall(callId);
        }
        synchronized (call) {
            if (call.state == ActiveCall.State.ENDED) {
                return Json.object().put("alreadyEnded", true);
            }
            String why;
            if (call.state == ActiveCall.State.RINGING) {
                why = call.callerId.equals(ctx.userId()) ? "CANCELLED" : "DECLINED";
            } else {
                why = reason == null ? "HANGUP" : reason;
            }
            end(call, why, ctx.userId(), device);
            return Json.object();
        }
    }

    JsonNode reoffer(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String sdpText = Fields.requiredText(data, "sdp", 1, Sdp.MAX_CHARS, null);
        Sdp sdp = Sdp.parse(sdpText, "sdp");
        InetSocketAddress at = resolve(sdp);
        ActiveCall call = find(ctx, data);
        synchronized (call) {
            requireAnswered(call);
            String peer = call.peerOf(ctx.userId());
            if (call.reofferFrom != null && !call.reofferFrom.equals(ctx.userId())) {
                throw WireException.of(WireCode.CONFLICT, "REOFFER_PENDING",
                        "the other party's re-offer awaits its answer; answer it first");
            }
            call.reofferFrom = ctx.userId();
            call.legOf(ctx.userId()).declared = at;
            ObjectNode e = Json.object().put("callId", call.id).put("from", ctx.userId())
                    .put("sdp", sdp.pointedAt(relay.host(), call.portOf(peer)));
            events.append(peer, "call.reoffer", e);
            return Json.object();
        }
    }

    JsonNode reanswer(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String sdpText = Fields.requiredText(data, "sdp", 1, Sdp.MAX_CHARS, null);
        Sdp sdp = Sdp.parse(sdpText, "sdp");
        InetSocketAddress at = resolve(sdp);
        ActiveCall call = find(ctx, data);
        synchronized (call) {
            requireAnswered(call);
            String offerer = call.peerOf(ctx.userId());
            if (!offerer.equals(call.reofferFrom)) {
                throw WireException.of(WireCode.CONFLICT, "NO_REOFFER", "no re-offer of the other party awaits an answer");
            }
            call.reofferFrom = null;
            call.legOf(ctx.userId()).declared = at;
            ObjectNode e = Json.object().put("callId", call.id).put("from", ctx.userId())
                    .put("sdp", sdp.pointedAt(relay.host(), call.portOf(offerer)));
            events.append(offerer, "call.reanswer", e);
            return Json.object();
        }
    }

    JsonNode active(RequestContext ctx) {
        ObjectNode r = Json.object();
        ArrayNode list = r.putArray("calls");
        for (ActiveCall call : calls.values()) {
            if (call.isParty(ctx.userId()) && !(call.hidden && call.calleeId.equals(ctx.userId()))) {
                synchronized (call) {
                    if (call.state != ActiveCall.State.ENDED) {
                        list.add(call.toJson(ctx.userId(), relay.host()));
                    }
                }
            }
        }
        return r;
    }

    JsonNode log(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String before = Fields.optionalText(data, "before", 3, 90, Pattern.compile("\\d{1,19}:[A-Za-z0-9._:-]{1,64}"));
        Long limit = Fields.optionalNonNegativeLong(data, "limit");
        if (limit != null && (limit < 1 || limit > MAX_LOG_PAGE)) {
            throw WireException.invalid("limit", "BAD_FIELD", "limit must be 1 to " + MAX_LOG_PAGE);
        }
        long beforeAt = Long.MAX_VALUE;
        String beforeId = "";
        if (before != null) {
            int colon = before.indexOf(':');
            beforeAt = Long.parseLong(before.substring(0, colon));
            beforeId = before.substring(colon + 1);
        }
        return records.page(ctx.userId(), beforeAt, beforeId, limit == null ? 50 : limit.intValue());
    }

    // --------------------------------------------------------------------------------- transitions

    /** Caller holds the call's monitor. */
    private void end(ActiveCall call, String reason, String by, String device) throws SQLException {
        if (call.state == ActiveCall.State.ENDED) {
            return;
        }
        long now = clock.millis();
        long duration = call.state == ActiveCall.State.ANSWERED ? now - call.answeredAt : 0;
        call.state = ActiveCall.State.ENDED;
        cancelRing(call);
        call.relay.close();
        calls.remove(call.id, call);
        events.appendAll(call.hidden ? List.of(call.callerId) : List.of(call.callerId, call.calleeId), "call.ended",
                ended(call.id, reason, by, device, now, duration), s -> {
                    CallRecords.ended(s, call.id, now, reason, by);
                    return null;
                });
        LOG.debug("Call {} ended: {}", call.id, reason);
    }

    private static String ended(String callId, String reason, String by, String device, long at, long duration) {
        ObjectNode e = Json.object();
        e.put("callId", callId);
        e.put("reason", reason);
        if (by != null) {
            e.put("by", by);
        }
        if (device != null) {
            e.put("device", device);
        }
        e.put("endedAt", at);
        e.put("durationMs", duration);
        return Json.write(e);
    }

    private void ringTimedOut(ActiveCall call) {
        synchronized (call) {
            if (call.state == ActiveCall.State.RINGING) {
                try {
                    end(call, "NO_ANSWER", null, null);
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("Could not end call {} after its ring timeout", call.id, e);
                }
            }
        }
    }

    /** On the scheduler: ends answered calls whose relay received nothing on a leg for the media timeout. */
    private void checkMedia() {
        long now = System.nanoTime();
        long limit = settings.mediaTimeout().toNanos();
        for (ActiveCall call : calls.values()) {
            synchronized (call) {
                if (call.state != ActiveCall.State.ANSWERED) {
                    continue;
                }
                if (now - call.relay.a.lastReceivedNanos > limit || now - call.relay.b.lastReceivedNanos > limit) {
                    try {
                        end(call, "MEDIA_TIMEOUT", null, null);
                    } catch (SQLException | RuntimeException e) {
                        LOG.warn("Could not end call {} after its media timeout", call.id, e);
                    }
                }
            }
        }
    }

    private static void cancelRing(ActiveCall call) {
        if (call.ringTimer != null) {
            call.ringTimer.cancel(false);
            call.ringTimer = null;
        }
    }

    // ------------------------------------------------------------------------------------- checks

    private ActiveCall find(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String callId = Fields.requiredText(data, "callId", 1, 64, ID);
        ActiveCall call = calls.get(callId);
        if (call != null && call.isParty(ctx.userId()) && !(call.hidden && call.calleeId.equals(ctx.userId()))) {
            return call;
        }
        if (isPartyOfRecord(callId, ctx.userId())) {
            throw WireException.of(WireCode.CONFLICT, "CALL_ENDED", "call " + callId + " has ended");
        }
        throw noSuchCall(callId);
    }

    private static WireException noSuchCall(String callId) {
        // a call of other users is as unknown as one that never existed
        return WireException.of(WireCode.NOT_FOUND, "NO_SUCH_CALL", "no call " + callId);
    }

    private boolean isPartyOfRecord(String callId, String userId) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement(
                        "SELECT 1 FROM call_records WHERE call_id = ? AND (caller_id = ? OR callee_id = ?)")) {
            p.setString(1, callId);
            p.setString(2, userId);
            p.setString(3, userId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static void requireCallee(RequestContext ctx, ActiveCall call) throws WireException {
        if (!call.calleeId.equals(ctx.userId())) {
            throw WireException.of(WireCode.UNAUTHORIZED, "NOT_CALLEE", "only the callee answers or rejects a call");
        }
    }

    private static void requireRinging(ActiveCall call) throws WireException {
        if (call.state == ActiveCall.State.ANSWERED) {
            throw WireException.of(WireCode.CONFLICT, "ALREADY_ANSWERED", "call " + call.id + " was answered");
        }
        if (call.state == ActiveCall.State.ENDED) {
            throw WireException.of(WireCode.CONFLICT, "CALL_ENDED", "call " + call.id + " has ended");
        }
    }

    private static void requireAnswered(ActiveCall call) throws WireException {
        if (call.state != ActiveCall.State.ANSWERED) {
            throw WireException.of(WireCode.CONFLICT, call.state == ActiveCall.State.ENDED ? "CALL_ENDED" : "NOT_ANSWERED",
                    "call " + call.id + " is " + call.state);
        }
    }

    private static String device(RequestContext ctx, ObjectNode data) throws WireException {
        String device = Fields.optionalText(data, "device", 1, 64, ID);
        return device == null ? ctx.sessionId() : device;
    }

    private boolean inAnsweredCall(String userId) {
        for (ActiveCall call : calls.values()) {
            if (call.isParty(userId) && call.state == ActiveCall.State.ANSWERED) {
                return true;
            }
        }
        return false;
    }

    /** A user of the caller's carrier: users of other carriers are as unknown as users that do not exist. */
    private void requireSameCarrier(String callerId, String calleeId) throws SQLException, WireException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT a.id FROM accounts a JOIN accounts me"
                        + " ON me.carrier = a.carrier WHERE a.id = ? AND me.id = ?")) {
            p.setString(1, calleeId);
            p.setString(2, callerId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_USER", "no user " + calleeId + " (to)");
                }
            }
        }
    }

    private static InetSocketAddress resolve(Sdp sdp) throws WireException {
        InetSocketAddress at = sdp.receivesAt();
        InetSocketAddress resolved = new InetSocketAddress(at.getHostString(), at.getPort());
        if (resolved.isUnresolved()) {
            throw WireException.invalid("sdp", "BAD_SDP", "sdp: the address " + at.getHostString() + " does not resolve");
        }
        return resolved;
    }

    /** @return the active call, for tests of the relay */
    ActiveCall call(String callId) {
        return calls.get(callId);
    }

    /** Closes the relay legs of the calls still active (the server stops; the next start ends their records). */
    @Override
    public void close() {
        List<ActiveCall> open = new ArrayList<>(calls.values());
        for (ActiveCall call : open) {
            synchronized (call) {
                cancelRing(call);
                call.relay.close();
            }
        }
        calls.clear();
    }
}
