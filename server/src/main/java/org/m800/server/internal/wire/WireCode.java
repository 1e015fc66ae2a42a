package org.m800.server.internal.wire;

/** The error codes of the wire protocol (docs/protocol.md section 3), with their HTTP status. */
public enum WireCode {
    INVALID_ARGUMENT(400),
    UNAUTHORIZED(401),
    NOT_FOUND(404),
    CONFLICT(409),
    RATE_LIMITED(429),
    TIMEOUT(504),
    PROTOCOL(400),
    SERVER_ERROR(500);

    private final int httpStatus;

    WireCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** @return the HTTP status that carries this code */
    public int httpStatus() {
        return httpStatus;
    }
}
