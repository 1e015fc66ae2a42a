package org.m800.sdk.file.internal;

import java.util.Map;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns the file server's answers into {@link M800Exception}s; retryable ones are told apart. */
final class Errors {

    static final ObjectMapper JSON = new ObjectMapper();

    private Errors() {
    }

    /** @return whether a status means "try again later" (the server failed, not the request) */
    static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /**
     * @param what what was asked, such as {@code upload of 'a.jpg'}; named in the message
     * @return the error the answer carries (section 3's JSON body, or the status alone)
     */
    static M800Exception of(FileHttp.Answer a, String what) {
        return of(a.status(), a.body(), what);
    }

    @SuppressWarnings("unchecked")
    static M800Exception of(int status, String body, String what) {
        String code = null;
        String reason = null;
        String message = null;
        try {
            if (body != null && body.startsWith("{")) {
                Map<String, Object> m = JSON.readValue(body, Map.class);
                Object e = m.get("error");
                if (e instanceof Map<?, ?> error) {
                    code = text(error.get("code"));
                    reason = text(error.get("reason"));
                    message = text(error.get("message"));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the status says enough
        }
        StringBuilder text = new StringBuilder(what).append(": HTTP ").append(status);
        if (code != null) {
            text.append(' ').append(code);
        }
        if (reason != null) {
            text.append('/').append(reason);
        }
        if (message != null) {
            text.append(": ").append(message);
        }
        return new M800Exception(code(status, code, reason), text.toString());
    }

    private static ErrorCode code(int status, String code, String reason) {
        if ("QUOTA_EXCEEDED".equals(reason)) {
            return ErrorCode.RATE_LIMITED;
        }
        if (code != null) {
            switch (code) {
                case "INVALID_ARGUMENT", "CONFLICT":
                    return ErrorCode.INVALID_ARGUMENT;
                case "UNAUTHORIZED":
                    return ErrorCode.UNAUTHORIZED;
                case "NOT_FOUND":
                    return ErrorCode.NOT_FOUND;
                case "RATE_LIMITED":
                    return ErrorCode.RATE_LIMITED;
                case "TIMEOUT":
                    return ErrorCode.TIMEOUT;
                case "PROTOCOL":
                    return ErrorCode.PROTOCOL;
                default:
                    return ErrorCode.SERVER_ERROR;
            }
        }
        return switch (status) {
            case 400, 413, 460 -> ErrorCode.INVALID_ARGUMENT;
            case 401, 403 -> ErrorCode.UNAUTHORIZED;
            case 404, 410 -> ErrorCode.NOT_FOUND;
            case 409, 412, 415, 416 -> ErrorCode.PROTOCOL;
            case 429 -> ErrorCode.RATE_LIMITED;
            default -> ErrorCode.SERVER_ERROR;
        };
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }
}
