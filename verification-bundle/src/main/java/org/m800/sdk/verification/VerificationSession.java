package org.m800.sdk.verification;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.m800.sdk.core.Subscription;

/**
 * One verification of one phone number, started by {@link VerificationManager#start}. Thread-safe.
 *
 * <p>State machine: {@link VerificationStatus#SENT} (or {@link VerificationStatus#DELIVERED} /
 * {@link VerificationStatus#FAILED}) until a code is accepted ({@link VerificationStatus#VERIFIED}),
 * the code expires ({@link VerificationStatus#EXPIRED}), too many wrong codes lock it
 * ({@link VerificationStatus#LOCKED}) or it is cancelled ({@link VerificationStatus#CANCELLED}); a
 * final state never changes. The server enforces the rules; the session mirrors what it answered.
 *
 * <p>Futures complete on the client's event threads and fail with a {@link VerificationException}
 * (as the cause of the {@link java.util.concurrent.ExecutionException}); if the feature leaves the
 * client while a call is pending, it fails with FEATURE_UNAVAILABLE /
 * {@link VerificationError#FEATURE_REMOVED}.
 */
public interface VerificationSession {

    /** @return the server's id of the session */
    String id();

    /** @return the number being verified, E.164 ({@code +447400123456}) */
    String phoneNumber();

    /** @return how the code is delivered */
    VerificationMethod method();

    /** @return the status as last known */
    VerificationStatus status();

    /** @return digits of a code */
    int codeLength();

    /** @return wrong codes still allowed, as last known */
    int attemptsLeft();

    /** @return when the current code expires (client clock) */
    Instant expiresAt();

    /** @return for flash calls, the prefix the calling number starts with (the code follows it) */
    Optional<String> callerPrefix();

    /** @return the proof token once {@link VerificationStatus#VERIFIED}: pass it to {@code AccountManager.signUp} */
    Optional<String> proof();

    /**
     * Checks a code.
     *
     * @param code exactly {@link #codeLength()} digits (spaces and dashes are ignored)
     * @return the proof token (single-use, for sign-up); fails with a {@link VerificationException}:
     *         INVALID_ARGUMENT / {@link VerificationError#INVALID_CODE} for a malformed code (nothing sent;
     *         since 1.1 the future fails, it does not throw), WRONG_CODE, EXPIRED, LOCKED, CANCELLED,
     *         ALREADY_VERIFIED, NO_SUCH_SESSION, or a network failure
     */
    CompletableFuture<String> check(String code);

    /**
     * For {@link VerificationMethod#FLASH_CALL}: checks the number of an incoming call, whose last
     * {@link #codeLength()} digits are the code.
     *
     * @return as {@link #check}; also fails with INVALID_ARGUMENT if the session is not a flash call or
     *         the number does not start with {@link #callerPrefix()}
     */
    CompletableFuture<String> checkIncomingCall(String callerNumber);

    /**
     * Sends a new code (the previous one stops working); allowed once the cooldown is over (at once after a
     * failed delivery). Fails with RESEND_COOLDOWN (retry after), RESEND_LIMIT, RATE_LIMITED, EXPIRED...
     */
    CompletableFuture<Void> resend();

    /** Cancels the session; cancelling a cancelled session succeeds. Fails with ALREADY_VERIFIED. */
    CompletableFuture<Void> cancel();

    /** Asks the server for the current status (events fire for a change). */
    CompletableFuture<VerificationStatus> refresh();

    /**
     * Subscribes to status changes. The listener is told the current status at once, then each change.
     *
     * @return a handle that unsubscribes
     * @since 1.1
     */
    default Subscription addListener(VerificationListener listener) {
        return onStatus(listener);
    }

    /**
     * The former name of {@link #addListener}.
     *
     * @return a handle that unsubscribes
     * @deprecated since 1.1; use {@link #addListener}, the SDK's one name for adding a listener
     */
    @Deprecated
    Subscription onStatus(VerificationListener listener);
}
