package org.m800.sdk.call;

import java.time.Duration;
import java.time.Instant;

/**
 * One call of the user's call log, as the server recorded it.
 *
 * @param callId     the call's id
 * @param peerUserId the other party
 * @param direction  who placed it
 * @param startedAt  when it was placed
 * @param answeredAt when it was answered, or {@code null}
 * @param endedAt    when it ended, or {@code null} while it is active
 * @param duration   from answer to end ({@link Duration#ZERO} if unanswered)
 * @param endReason  how it ended, from this user's side (for an incoming call: {@code REMOTE_CANCELLED},
 *                   {@code NO_ANSWER}...), or {@code null} while active
 * @param missed     an incoming call that ended unanswered
 */
public record CallRecord(String callId, String peerUserId, CallDirection direction, Instant startedAt,
        Instant answeredAt, Instant endedAt, Duration duration, CallEndReason endReason, boolean missed) {
}
