package org.m800.server.internal.call;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ScheduledFuture;
import org.m800.server.internal.wire.Json;

/**
 * A call that has not ended, in memory (its record is in {@code call_records}). Guarded by its own
 * monitor: every transition of one call happens under it, in order.
 */
final class ActiveCall {
    /** The server's states of a call (docs/protocol.md 13.2). */
    enum State {
        RINGING, ANSWERED, ENDED
    }

    final String id;
    final String callerId;
    final String calleeId;
    final String callerDevice;
    final long createdAt;
    final boolean waiting;
    final MediaRelay.Pair relay;
    /** the callee blocked the caller: the callee's devices never hear of the call (docs/protocol.md 13.2) */
    boolean hidden;
    State state = State.RINGING;
    Sdp offer;
    String answeredDevice;
    long answeredAt;
    boolean ringingSent;
    /** the user whose re-offer awaits its answer, or null */
    String reofferFrom;
    ScheduledFuture<?> ringTimer;

    ActiveCall(String id, String callerId, String calleeId, String callerDevice, long createdAt, boolean waiting,
            Sdp offer, MediaRelay.Pair relay) {
        this.id = id;
        this.callerId = callerId;
        this.calleeId = calleeId;
        this.callerDevice = callerDevice;
        this.createdAt = createdAt;
        this.waiting = waiting;
        this.offer = offer;
        this.relay = relay;
    }

    boolean isParty(String userId) {
        return callerId.equals(userId) || calleeId.equals(userId);
    }

    /** @return the other party of {@code userId} */
    String peerOf(String userId) {
        return callerId.equals(userId) ? calleeId : callerId;
    }

    /** @return the relay port the given party sends to and receives from */
    int portOf(String userId) {
        return callerId.equals(userId) ? relay.a.port : relay.b.port;
    }

    MediaRelay.Leg legOf(String userId) {
        return callerId.equals(userId) ? relay.a : relay.b;
    }

    /** The call as {@code call.active} shows it to one of its parties. */
    ObjectNode toJson(String viewer, String relayHost) {
        ObjectNode o = Json.object();
        o.put("callId", id);
        o.put("from", callerId);
        o.put("to", calleeId);
        o.put("callerDevice", callerDevice);
        o.put("state", state.name());
        o.put("createdAt", createdAt);
        o.put("waiting", waiting);
        if (state == State.ANSWERED) {
            o.put("answeredAt", answeredAt);
            o.put("answeredDevice", answeredDevice);
        } else if (calleeId.equals(viewer)) {
            o.put("sdp", offer.pointedAt(relayHost, relay.b.port));
        }
        return o;
    }
}
