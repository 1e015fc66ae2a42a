package org.m800.sdk.verification;

import java.time.Instant;
import java.util.Objects;

/**
 * A status change of a verification session.
 *
 * @param sessionId the session
 * @param status the new status
 * @param at when the client learned it
 * @param attemptsLeft wrong codes still allowed
 * @param detail why, for people (for example the delivery failure); never a code or token
 */
public record VerificationEvent(String sessionId, VerificationStatus status, Instant at, int attemptsLeft,
        String detail) {

    public VerificationEvent {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
