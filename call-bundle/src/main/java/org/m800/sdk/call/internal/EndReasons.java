package org.m800.sdk.call.internal;

import org.m800.sdk.call.CallDirection;
import org.m800.sdk.call.CallEndReason;
import org.m800.sdk.call.CallState;

/** The server's end reasons (docs/protocol.md 13.2) as one device sees them. */
final class EndReasons {
    private EndReasons() {
    }

    /**
     * @param reason      the wire reason
     * @param direction   this device's direction of the call
     * @param byMe        the call was ended by this user
     * @param byThisDevice by this device (only meaningful if {@code byMe})
     */
    static CallEndReason of(String reason, CallDirection direction, boolean byMe, boolean byThisDevice) {
        boolean outgoing = direction == CallDirection.OUTGOING;
        return switch (reason == null ? "" : reason) {
            case "HANGUP" -> byMe ? CallEndReason.LOCAL_HANGUP : CallEndReason.REMOTE_HANGUP;
            case "DECLINED" -> outgoing ? CallEndReason.REMOTE_DECLINED
                    : byThisDevice ? CallEndReason.DECLINED : CallEndReason.DECLINED_ELSEWHERE;
            case "BUSY" -> CallEndReason.BUSY;
            case "INCOMPATIBLE" -> CallEndReason.INCOMPATIBLE_MEDIA;
            case "CANCELLED" -> outgoing ? CallEndReason.CANCELLED : CallEndReason.REMOTE_CANCELLED;
            case "NO_ANSWER" -> CallEndReason.NO_ANSWER;
            case "MEDIA_TIMEOUT" -> CallEndReason.MEDIA_TIMEOUT;
            case "SERVER_RESTART" -> CallEndReason.SERVER_RESTART;
            default -> CallEndReason.FAILED;
        };
    }

    /** @return how an answer the server refused ends the call on this device */
    static CallEndReason ofAnswerFailure(Throwable failure) {
        if (Wire.isReason(failure, "ALREADY_ANSWERED")) {
            return CallEndReason.ANSWERED_ELSEWHERE;
        }
        return Wire.isReason(failure, "CALL_ENDED") ? CallEndReason.REMOTE_CANCELLED : CallEndReason.FAILED;
    }

    /** @return how hanging up in state {@code was} ends the call on this device */
    static CallEndReason ofHangUp(CallState was) {
        return switch (was) {
            case DIALING, RINGING -> CallEndReason.CANCELLED;
            case INCOMING -> CallEndReason.DECLINED;
            default -> CallEndReason.LOCAL_HANGUP;
        };
    }
}
