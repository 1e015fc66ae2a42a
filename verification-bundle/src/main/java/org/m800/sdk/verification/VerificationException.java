package org.m800.sdk.verification;

import java.util.Objects;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * A failure of the verification feature: an {@link M800Exception} with a finer, stable
 * {@link VerificationError}. The message says what is wrong for people; it never holds a code or token.
 */
public class VerificationException extends M800Exception {

    private static final long serialVersionUID = 1L;

    private final VerificationError error;
    private final int attemptsLeft;
    private final long retryAfterMillis;

    /**
     * @param code the general code
     * @param error the verification-specific reason
     * @param message what is wrong
     * @param attemptsLeft wrong codes still allowed, or -1 if not known
     * @param retryAfterMillis when trying again may succeed, or 0
     * @param cause the underlying failure, or null
     */
    public VerificationException(ErrorCode code, VerificationError error, String message, int attemptsLeft,
            long retryAfterMillis, Throwable cause) {
        super(code, message, cause);
        this.error = Objects.requireNonNull(error, "error");
        this.attemptsLeft = attemptsLeft;
        this.retryAfterMillis = retryAfterMillis;
    }

    /** An INVALID_ARGUMENT failure of the given reason. */
    public static VerificationException invalid(VerificationError error, String message) {
        return new VerificationException(ErrorCode.INVALID_ARGUMENT, error, message, -1, 0, null);
    }

    /** @return the verification-specific reason */
    public VerificationError error() {
        return error;
    }

    /** @return wrong codes still allowed in the session, or -1 if not known */
    public int attemptsLeft() {
        return attemptsLeft;
    }

    /** @return milliseconds after which trying again may succeed, or 0 */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    @Override
    public String toString() {
        return "VerificationException[" + code() + "/" + error + "]: " + getMessage();
    }
}
