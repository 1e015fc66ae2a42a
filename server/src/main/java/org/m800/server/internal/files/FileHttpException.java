package org.m800.server.internal.files;

import java.util.LinkedHashMap;
import java.util.Map;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/**
 * A refusal of a file request: the protocol's error object answered with an HTTP status of its own
 * (tus gives 409, 412, 415, 460; ranges give 416) and sometimes extra headers.
 */
final class FileHttpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient WireException error;
    private final Map<String, String> headers = new LinkedHashMap<>();

    FileHttpException(int status, WireException error) {
        super(error.getMessage(), null, false, false);
        this.status = status;
        this.error = error;
    }

    static FileHttpException of(int status, WireCode code, String reason, String message) {
        return new FileHttpException(status, WireException.of(code, reason, message));
    }

    static FileHttpException invalid(int status, String field, String reason, String message) {
        return new FileHttpException(status, WireException.invalid(field, reason, message));
    }

    /** The same answer for a file or upload that does not exist and one the user may not see. */
    static FileHttpException notFound(String reason, String what) {
        return of(404, WireCode.NOT_FOUND, reason, what + " not found");
    }

    FileHttpException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    WireException error() {
        return error;
    }

    Map<String, String> headers() {
        return headers;
    }
}
