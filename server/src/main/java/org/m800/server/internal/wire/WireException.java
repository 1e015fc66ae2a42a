package org.m800.server.internal.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failure that is answered to the peer as the error object of the protocol. The message is sent
 * to the client, so it must never contain a secret.
 */
public final class WireException extends Exception {
    private static final long serialVersionUID = 1L;
    private final WireCode code;
    private final String reason;
    private final Long retryAfterMs;
    private final ObjectNode details;
    private final int httpStatus;

    private WireException(WireCode code, String reason, String message, Long retryAfterMs, ObjectNode details,
            int httpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.retryAfterMs = retryAfterMs;
        this.details = details;
        this.httpStatus = httpStatus;
    }

    public static WireException of(WireCode code, String reason, String message) {
        return new WireException(code, reason, message, null, null, code.httpStatus());
    }

    public static WireException invalid(String field, String reason, String message) {
        ObjectNode d = JsonNodeFactory.instance.objectNode().put("field", field);
        return new WireException(WireCode.INVALID_ARGUMENT, reason, message, null, d,
                "TOO_LARGE".equals(reason) ? 413 : 400);
    }

    public static WireException unauthorized(String reason, String message) {
        return of(WireCode.UNAUTHORIZED, reason, message);
    }

    public static WireException protocol(String reason, String message) {
        return of(WireCode.PROTOCOL, reason, message);
    }

    public static WireException rateLimited(String reason, String message, long retryAfterMs) {
        return new WireException(WireCode.RATE_LIMITED, reason, message, Math.max(1, retryAfterMs), null, 429);
    }

    public static WireException unsupportedVersion(String message, int... supported) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        var arr = d.putArray("supported");
        for (int v : supported) {
            arr.add(v);
        }
        return new WireException(WireCode.PROTOCOL, "UNSUPPORTED_VERSION", message, null, d, 400);
    }

    public static WireException serverError(String message) {
        return of(WireCode.SERVER_ERROR, null, message);
    }

    public WireCode code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** @return whether an answer with this error may be remembered for de-duplication */
    public boolean isFinal() {
        return code != WireCode.SERVER_ERROR && code != WireCode.RATE_LIMITED && code != WireCode.TIMEOUT;
    }

    /** @return the protocol's error object */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("code", code.name());
        if (reason != null) {
            o.put("reason", reason);
        }
        o.put("message", getMessage());
        if (retryAfterMs != null) {
            o.put("retryAfterMs", retryAfterMs);
        }
        if (details != null) {
            o.set("details", details);
        }
        return o;
    }
}
