package org.m800.sdk.call.internal;

import java.util.Map;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** Reads the plain-Java payloads of call events and answers (docs/protocol.md 13.5). */
final class Wire {
    private Wire() {
    }

    static String text(Map<String, Object> data, String field) {
        Object v = data.get(field);
        return v instanceof String s ? s : null;
    }

    static String requiredText(Map<String, Object> data, String field) {
        String s = text(data, field);
        if (s == null) {
            throw new M800Exception(ErrorCode.PROTOCOL, "the server's call data lacks " + field);
        }
        return s;
    }

    static long number(Map<String, Object> data, String field, long otherwise) {
        Object v = data.get(field);
        return v instanceof Number n ? n.longValue() : otherwise;
    }

    static boolean flag(Map<String, Object> data, String field) {
        return Boolean.TRUE.equals(data.get(field));
    }

    /** @return whether a failure is the server's error with this reason (docs/protocol.md 3) */
    static boolean isReason(Throwable failure, String reason) {
        Throwable t = failure;
        while (t != null && !(t instanceof M800Exception)) {
            t = t.getCause();
        }
        return t != null && t.getMessage() != null && t.getMessage().contains("/" + reason);
    }

    static M800Exception unwrap(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof M800Exception m) {
                return m;
            }
        }
        return new M800Exception(ErrorCode.SERVER_ERROR, String.valueOf(failure), failure);
    }
}
