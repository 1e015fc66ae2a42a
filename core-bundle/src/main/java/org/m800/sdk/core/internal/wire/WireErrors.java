package org.m800.sdk.core.internal.wire;

import java.util.Map;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** Turns the protocol's error object (docs/protocol.md section 3) into an {@link M800Exception}. */
public final class WireErrors {

    private WireErrors() {
    }

    public static M800Exception toException(Map<String, Object> error) {
        String code = Json.text(error, "code");
        String reason = Json.text(error, "reason");
        String message = Json.text(error, "message");
        StringBuilder text = new StringBuilder("server: ");
        text.append(code == null ? "SERVER_ERROR" : code);
        if (reason != null) {
            text.append('/').append(reason);
        }
        if (message != null) {
            text.append(": ").append(message);
        }
        Object retry = error.get("retryAfterMs");
        if (retry instanceof Number n) {
            text.append(" (retry after ").append(n.longValue()).append(" ms)");
        }
        return new M800Exception(map(code), text.toString());
    }

    /** @return the stable reason of an error object, or {@code null} */
    public static String reason(Map<String, Object> error) {
        return Json.text(error, "reason");
    }

    static ErrorCode map(String code) {
        if (code == null) {
            return ErrorCode.SERVER_ERROR;
        }
        return switch (code) {
            case "INVALID_ARGUMENT", "CONFLICT" -> ErrorCode.INVALID_ARGUMENT;
            case "UNAUTHORIZED" -> ErrorCode.UNAUTHORIZED;
            case "NOT_FOUND" -> ErrorCode.NOT_FOUND;
            case "RATE_LIMITED" -> ErrorCode.RATE_LIMITED;
            case "TIMEOUT" -> ErrorCode.TIMEOUT;
            case "PROTOCOL" -> ErrorCode.PROTOCOL;
            default -> ErrorCode.SERVER_ERROR;
        };
    }
}
