package org.m800.server.internal.files;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.Limits;

/** Writing the answers of the file endpoints. */
final class Answers {
    private Answers() {
    }

    /** A status without a body (204, or a HEAD). */
    static void empty(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        callback.succeeded();
    }

    static void json(Request request, Response response, Callback callback, int status, JsonNode body) {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        if ("HEAD".equals(request.getMethod())) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }

    /**
     * Answers a refusal with the JSON error object. A body the client sends without waiting for
     * {@code 100 Continue} is read and dropped first (up to 1 MiB), so the answer reaches it instead
     * of a connection reset.
     */
    static void error(Request request, Response response, Callback callback, FileHttpException e) {
        if (!request.getHeaders().contains(HttpHeader.EXPECT)) {
            discard(request);
        }
        e.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        json(request, response, callback, e.status(), Json.object().set("error", e.error().toJson()));
    }

    private static void discard(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            long left = Limits.MAX_DISCARDED_HTTP_BODY_BYTES;
            byte[] sink = new byte[8192];
            TransferRate rate = new TransferRate();
            int n;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
                rate.check(Limits.MAX_DISCARDED_HTTP_BODY_BYTES - left);
            }
        } catch (IOException ignored) {
            // the connection is closed after the answer anyway
        }
    }
}
