package org.m800.sdk.verification.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.verification.VerificationError;
import org.m800.sdk.verification.VerificationException;

/**
 * Turns a failure of {@code service.http} into a {@link VerificationException}. The core reports a
 * server error as {@code server: CODE/REASON: message (retry after N ms)}; the reason picks the
 * {@link VerificationError} (docs/protocol.md section 11.6).
 */
final class WireFailures {
    private static final Pattern SERVER = Pattern.compile("server: ([A-Z_]+)(?:/([A-Z_]+))?: .*?(?: \\(retry after (\\d+) ms\\))?",
            Pattern.DOTALL);

    private WireFailures() {
    }

    static VerificationException translate(Throwable failure, int attemptsLeft) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof VerificationException v) {
            return v;
        }
        if (!(t instanceof M800Exception m)) {
            return new VerificationException(ErrorCode.SERVER_ERROR, VerificationError.OTHER, String.valueOf(t), -1, 0, t);
        }
        Matcher matcher = SERVER.matcher(m.getMessage());
        String reason = null;
        long retry = 0;
        if (matcher.matches()) {
            reason = matcher.group(2);
            retry = matcher.group(3) == null ? 0 : Long.parseLong(matcher.group(3));
        }
        ErrorCode code = m.code();
        VerificationError error = VerificationError.OTHER;
        if (reason != null) {
            switch (reason) {
                case "INVALID_NUMBER" -> error = VerificationError.INVALID_NUMBER;
                case "UNSUPPORTED_NUMBER" -> error = VerificationError.UNSUPPORTED_NUMBER;
                case "UNSUPPORTED_METHOD" -> error = VerificationError.UNSUPPORTED_METHOD;
                case "WRONG_CODE" -> error = VerificationError.WRONG_CODE;
                case "SESSION_EXPIRED" -> {
                    error = VerificationError.EXPIRED;
                    code = ErrorCode.ILLEGAL_STATE;
                }
                case "SESSION_LOCKED" -> {
                    error = VerificationError.LOCKED;
                    code = ErrorCode.ILLEGAL_STATE;
                }
                case "SESSION_CANCELLED" -> {
                    error = VerificationError.CANCELLED;
                    code = ErrorCode.ILLEGAL_STATE;
                }
                case "ALREADY_VERIFIED" -> {
                    error = VerificationError.ALREADY_VERIFIED;
                    code = ErrorCode.ILLEGAL_STATE;
                }
                case "RESEND_LIMIT" -> {
                    error = VerificationError.RESEND_LIMIT;
                    code = ErrorCode.ILLEGAL_STATE;
                }
                case "RESEND_COOLDOWN" -> error = VerificationError.RESEND_COOLDOWN;
                case "NUMBER_LIMIT", "ADDRESS_LIMIT", "APPLICATION_LIMIT" -> error = VerificationError.RATE_LIMITED;
                case "NO_SUCH_SESSION" -> error = VerificationError.NO_SUCH_SESSION;
                default -> error = VerificationError.OTHER;
            }
        }
        return new VerificationException(code, error, m.getMessage(), attemptsLeft, retry, m);
    }
}
