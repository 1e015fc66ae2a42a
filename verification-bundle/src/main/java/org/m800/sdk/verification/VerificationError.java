package org.m800.sdk.verification;

/**
 * Why a verification call failed, finer than the {@link org.m800.sdk.core.ErrorCode} of the
 * exception. New values may be added in a minor version: a {@code switch} needs a default branch.
 */
public enum VerificationError {
    /** The phone number is malformed, too short, too long or not valid for its region (INVALID_ARGUMENT). */
    INVALID_NUMBER,
    /** The number is valid but cannot be used: not mobile where the method needs one, or a region not served (INVALID_ARGUMENT). */
    UNSUPPORTED_NUMBER,
    /** The server does not offer this method to the application (INVALID_ARGUMENT). */
    UNSUPPORTED_METHOD,
    /** The code is malformed (wrong length, not digits) and was not sent (INVALID_ARGUMENT). */
    INVALID_CODE,
    /** The code is wrong; {@link VerificationException#attemptsLeft()} says how many tries remain (UNAUTHORIZED). */
    WRONG_CODE,
    /** The code expired (ILLEGAL_STATE). */
    EXPIRED,
    /** Too many wrong codes: the session is locked (ILLEGAL_STATE). */
    LOCKED,
    /** The session was cancelled (ILLEGAL_STATE). */
    CANCELLED,
    /** The session is verified already (ILLEGAL_STATE). */
    ALREADY_VERIFIED,
    /** No more resends for this session; start a new one (ILLEGAL_STATE). */
    RESEND_LIMIT,
    /** A resend inside the cooldown; {@link VerificationException#retryAfterMillis()} says when (RATE_LIMITED). */
    RESEND_COOLDOWN,
    /** Too many codes to this number, from this address or by this application (RATE_LIMITED). */
    RATE_LIMITED,
    /** The server knows no such session (NOT_FOUND). */
    NO_SUCH_SESSION,
    /** The verification feature left the client while the call was pending (FEATURE_UNAVAILABLE). */
    FEATURE_REMOVED,
    /** Any other failure: see the {@link org.m800.sdk.core.ErrorCode} and the message. */
    OTHER
}
