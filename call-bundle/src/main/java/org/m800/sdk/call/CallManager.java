package org.m800.sdk.call;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.m800.sdk.core.Subscription;

/**
 * The module {@value #MODULE} of the feature {@code call} (deps {@code media}, {@code service.connect},
 * {@code service.notification}, {@code account}): one-to-one voice calls with encrypted (SRTP) audio
 * through the server's relay, and the user's call log. {@code docs/protocol.md} section 13 describes the
 * signalling and its state machine; {@link CallState} and {@link CallEndReason} what a device sees.
 *
 * <p>Every device of the callee rings; the first to answer wins and the others end with
 * {@link CallEndReason#ANSWERED_ELSEWHERE}. A call goes on while the signalling connection reconnects (the
 * audio does not cross it); it ends on both sides with {@link CallEndReason#MEDIA_TIMEOUT} when no audio
 * arrives for 20 s. Closing the feature (bundle stopped, client closed, log-out) ends every call with
 * {@link CallEndReason#FEATURE_STOPPED} and tells the other party.
 *
 * <p>Thread-safe. Asynchronous operations never throw: their futures fail with an
 * {@code M800Exception} carrying the {@code ErrorCode} (the core API 1.2 rule).
 */
public interface CallManager {

    /** The module name. */
    String MODULE = "call";

    /** Calls a user with the media manager's default source and sink. */
    CompletableFuture<Call> call(String userId);

    /**
     * Calls a user.
     *
     * @param userId  the user to call, of this application's carrier
     * @param options the source, sink and codecs
     * @return the call once the server accepted the invite (state DIALING or later); fails with
     *         INVALID_ARGUMENT (blank id, this user, an unknown codec), NOT_FOUND (no such user),
     *         ILLEGAL_STATE (not logged in), or the connection's errors
     */
    CompletableFuture<Call> call(String userId, CallOptions options);

    /** @return this device's calls that have not ended, oldest first */
    List<Call> calls();

    /** Adds a listener; the handle removes it. */
    Subscription addListener(CallListener listener);

    /**
     * One page of the user's call log, newest first, from the local store (kept in step with the server's
     * records while connected).
     *
     * @param cursor the {@link CallLogPage#nextCursor()} of the previous page, or {@code null} for the newest
     * @param limit  1 to 100 records
     */
    CompletableFuture<CallLogPage> callLog(String cursor, int limit);

    /** @return the number of missed calls since {@link #markMissedCallsSeen()} was last called */
    int missedCallCount();

    /** Marks every missed call so far as seen: {@link #missedCallCount()} becomes 0 (kept in the local store). */
    CompletableFuture<Void> markMissedCallsSeen();
}
