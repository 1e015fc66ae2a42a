package org.m800.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.m800.server.ApplicationRegistration;
import org.m800.server.internal.auth.AppAuthenticator;
import org.m800.server.internal.auth.SignedRequest;
import org.m800.server.internal.auth.Signatures;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireException;

/**
 * In front of the JSON API: a request whose path has a {@link StreamRoute} (such as the file
 * endpoints under {@code /v1/files/}) is authenticated here and handed to that route, which reads its
 * own body, streamed; every other request goes on to the wrapped handler. The body is not part of
 * the signature: {@code bodyHash} is the hash of the empty string (docs/protocol.md section 12).
 */
public final class StreamRoutes extends Handler.Wrapper {
    private static final String EMPTY_BODY_HASH = Signatures.sha256Hex(new byte[0]);

    private final HttpRoutes routes;
    private final AppAuthenticator appAuth;
    private final Consumer<Request> handling;
    private final Consumer<Request> done;

    public StreamRoutes(HttpRoutes routes, AppAuthenticator appAuth, Handler next) {
        this(routes, appAuth, r -> { }, r -> { }, next);
    }

    /**
     * @param handling told when a streamed request is handed to its route (whose body may take long:
     *        a watchdog of request phases must not time it as a slow request body)
     * @param done told when that request is answered
     */
    public StreamRoutes(HttpRoutes routes, AppAuthenticator appAuth, Consumer<Request> handling,
            Consumer<Request> done, Handler next) {
        super(next);
        this.routes = routes;
        this.appAuth = appAuth;
        this.handling = handling;
        this.done = done;
    }

    @Override
    public boolean handle(Request request, Response response, Callback answered) throws Exception {
        Optional<StreamRoute> route = routes.findStream(Request.getPathInContext(request));
        if (route.isEmpty()) {
            return super.handle(request, response, answered);
        }
        handling.accept(request);
        Callback callback = Callback.from(answered, () -> done.accept(request));
        HttpCall call = null;
        if (!route.get().isPublic(request)) {
            try {
                ApplicationRegistration app = appAuth.authenticate(new SignedRequest(
                        request.getHeaders().get("X-M800-Application-Key"), request.getHeaders().get("X-M800-Timestamp"),
                        request.getHeaders().get("X-M800-Nonce"), request.getHeaders().get("X-M800-Signature"),
                        request.getMethod(), request.getHttpURI().getPathQuery(), EMPTY_BODY_HASH));
                call = new HttpCall(app, Json.object(), bearer(request), Request.getRemoteAddr(request));
            } catch (WireException e) {
                refuse(request, response, callback, e);
                return true;
            }
        }
        route.get().handle(request, response, callback, call);
        return true;
    }

    private static String bearer(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        return null;
    }

    /** Reads and drops (up to 1 MiB of) a body sent without waiting, so the client gets the answer. */
    private static void refuse(Request request, Response response, Callback callback, WireException e) {
        if (!request.getHeaders().contains(HttpHeader.EXPECT)) {
            try (InputStream in = Content.Source.asInputStream(request)) {
                long left = Limits.MAX_DISCARDED_HTTP_BODY_BYTES;
                byte[] sink = new byte[8192];
                int n;
                while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                    left -= n;
                }
            } catch (IOException ignored) {
                // the connection is closed after the answer anyway
            }
        }
        ObjectNode body = Json.object().set("error", e.toJson());
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(e.httpStatus());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        if ("HEAD".equals(request.getMethod())) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }
}
