package org.m800.sdk.verification;

/**
 * The state of a {@link VerificationSession}. {@link #SENT}, {@link #DELIVERED} and {@link #FAILED} can be
 * followed by another state (a resend after FAILED sends again); {@link #VERIFIED}, {@link #EXPIRED},
 * {@link #LOCKED} and {@link #CANCELLED} are final ({@link #isFinal()}).
 */
public enum VerificationStatus {
    /** The code was handed to the network (also after a resend). */
    SENT,
    /** The code is known to have arrived (only where the delivery channel tells). */
    DELIVERED,
    /** The delivery failed; {@link VerificationSession#resend()} may be tried at once. Not final. */
    FAILED,
    /** A code was accepted; the proof is available. */
    VERIFIED,
    /** The code expired before it was checked. */
    EXPIRED,
    /** Too many wrong codes; start a new session. */
    LOCKED,
    /** The session was cancelled. */
    CANCELLED;

    /** @return whether no further status can follow */
    public boolean isFinal() {
        return this == VERIFIED || this == EXPIRED || this == LOCKED || this == CANCELLED;
    }
}
