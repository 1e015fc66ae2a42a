package org.m800.sdk.core;

import java.util.Objects;

/**
 * The one exception type of the SDK. It carries a stable {@link ErrorCode}; the message is for
 * people and says what is wrong. It never contains secrets or tokens.
 */
public class M800Exception extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * @param code the reason, never {@code null}
     * @param message what is wrong, never {@code null}
     */
    public M800Exception(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * @param code the reason, never {@code null}
     * @param message what is wrong, never {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public M800Exception(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the stable reason, never {@code null} */
    public ErrorCode code() {
        return code;
    }

    /** Shorthand for an {@link ErrorCode#INVALID_ARGUMENT} error. */
    public static M800Exception invalidArgument(String message) {
        return new M800Exception(ErrorCode.INVALID_ARGUMENT, message);
    }

    @Override
    public String toString() {
        return "M800Exception[" + code + "]: " + getMessage();
    }
}
