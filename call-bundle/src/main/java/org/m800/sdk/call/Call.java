package org.m800.sdk.call;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One call of this device. Thread-safe. The operations return at once; their futures complete on the
 * client's event threads. They never throw: a call in the wrong state fails the future with
 * {@code ErrorCode.ILLEGAL_STATE}, bad input with {@code INVALID_ARGUMENT}, a closed feature with
 * {@code CLOSED} (the core API 1.2 rule).
 */
public interface Call {

    /** @return the call's id (the same on both sides and in the call log) */
    String id();

    /** @return the other party's user id */
    String peerUserId();

    /** @return who placed the call */
    CallDirection direction();

    /** @return the current state */
    CallState state();

    /** @return how the call ended, or {@code null} before it did */
    CallEndReason endReason();

    /** @return for an incoming call: it arrived while this user was in another call (call waiting) */
    boolean isWaiting();

    /** @return whether the other party holds the call */
    boolean isRemoteHold();

    /** @return whether this side sends silence ({@link #setMuted}) */
    boolean isMuted();

    /** @return when the call was placed */
    Instant startedAt();

    /** @return when it was answered, or {@code null} */
    Instant answeredAt();

    /** Answers an incoming call with the media manager's default source and sink. */
    CompletableFuture<Void> answer();

    /**
     * Answers an incoming call.
     *
     * @return completes when the server confirmed the answer (state ACTIVE); fails with ILLEGAL_STATE if
     *         the call is not INCOMING, PROTOCOL if the offer has no codec in common (the call then ends
     *         with {@link CallEndReason#INCOMPATIBLE_MEDIA}), or the server's error (another device
     *         answered first: the call ends with {@link CallEndReason#ANSWERED_ELSEWHERE})
     */
    CompletableFuture<Void> answer(CallOptions options);

    /** Declines an incoming call (every device of this user stops ringing). */
    CompletableFuture<Void> reject();

    /** Declines an incoming call as busy. */
    CompletableFuture<Void> rejectBusy();

    /** Ends the call in any state (cancels an outgoing call that was not answered). Idempotent. */
    CompletableFuture<Void> hangUp();

    /** Puts an active call on hold (a re-offer with {@code sendonly}): this side stops sending and playing. */
    CompletableFuture<Void> hold();

    /** Resumes a held call (a re-offer with {@code sendrecv}). */
    CompletableFuture<Void> resume();

    /** Sends silence instead of the source's audio (the stream goes on), or the audio again. */
    void setMuted(boolean muted);

    /**
     * Sends key presses as RFC 4733 telephone-events, one after the other.
     *
     * @param digits characters of {@code 0-9 * # A-D}
     * @return completes when they are sent; fails with INVALID_ARGUMENT for another character, ILLEGAL_STATE
     *         if the call is not active or telephone-events were not agreed
     */
    CompletableFuture<Void> sendDtmf(String digits);

    /** @return the statistics so far ({@link CallStatistics#NONE} before the audio) */
    CallStatistics statistics();

    /**
     * @return the quality warnings raised and not cleared now ({@link CallListener#qualityChanged}); empty
     *         before the audio starts and when all is well. The default (for implementations older than
     *         API 1.1) is empty.
     */
    default java.util.Set<QualityMetric> qualityWarnings() {
        return java.util.Set.of();
    }
}
