package org.m800.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.m800.server.ApplicationRegistration;
import org.m800.server.internal.auth.AppAuthenticator;
import org.m800.server.internal.auth.SignedRequest;
import org.m800.server.internal.auth.Signatures;
import org.m800.server.internal.requests.RequestLog;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the protocol: {@code GET /health}, then for every other path application
 * authentication, idempotency by {@code X-M800-Request-Id}, and dispatch to a route.
 */
public final class HttpApi extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final Pattern VERSIONED = Pattern.compile("/v(\\d+)(/.*)?");

    private final HttpRoutes routes;
    private final AppAuthenticator appAuth;
    private final RequestLog requestLog;
    private final BooleanSupplier ready;

    private final SlowClientGuard guard;

    /**
     * @param guard told when each request's headers, body and answer are done, so it can close the
     *        connections that take too long; null for none
     */
    public HttpApi(HttpRoutes routes, AppAuthenticator appAuth, RequestLog requestLog, BooleanSupplier ready,
            SlowClientGuard guard) {
        this.guard = guard;
        this.routes = routes;
        this.appAuth = appAuth;
        this.requestLog = requestLog;
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Callback finished = guard == null ? callback : Callback.from(callback, () -> guard.done(request));
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if ("/health".equals(path) && "GET".equals(method)) {
            boolean up = ready.getAsBoolean();
            ObjectNode body = Json.object().put("status", up ? "UP" : "STARTING_OR_STOPPING");
            write(response, finished, up ? 200 : 503, body);
            return true;
        }
        HttpRouteHandler route;
        try {
            route = route(method, path);
            // what needs no body is checked before the body is read (issue 17 item 2)
            appAuth.checkHeaders(signed(request, null));
        } catch (WireException e) {
            write(response, finished, e.httpStatus(), Json.object().set("error", e.toJson()));
            return true;
        }
        if (guard != null) {
            guard.readingBody(request);
        }
        // read without holding a thread while the client is slow; then handle on a pool thread, since the
        // last chunk may arrive on a thread that must not block
        Executor executor = request.getComponents().getExecutor();
        BodyReader.read(request, Limits.MAX_HTTP_BODY_BYTES, Limits.MAX_DISCARDED_HTTP_BODY_BYTES,
                (body, failure) -> {
                    if (guard != null) {
                        guard.handling(request);
                    }
                    if (failure != null) {
                        // the connection is gone (closed by the client or by the guard): nobody to answer,
                        // and nothing worth a warning per slow client
                        finished.failed(new EofException(failure));
                        return;
                    }
                    executor.execute(() -> answer(request, response, finished, route, body));
                });
        return true;
    }

    private HttpRouteHandler route(String method, String path) throws WireException {
        Optional<HttpRouteHandler> route = routes.find(method, path);
        if (route.isEmpty()) {
            Matcher m = VERSIONED.matcher(path);
            if (m.matches() && !"1".equals(m.group(1))) {
                throw WireException.unsupportedVersion("HTTP API version " + m.group(1) + " is not supported",
                        Limits.supportedVersions());
            }
            throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_PATH", "no such path: " + method + " " + path);
        }
        return route.get();
    }

    private static SignedRequest signed(Request request, String bodyHash) {
        return new SignedRequest(request.getHeaders().get("X-M800-Application-Key"),
                request.getHeaders().get("X-M800-Timestamp"), request.getHeaders().get("X-M800-Nonce"),
                request.getHeaders().get("X-M800-Signature"), request.getMethod(),
                request.getHttpURI().getPathQuery(), bodyHash);
    }

    private void answer(Request request, Response response, Callback callback, HttpRouteHandler route,
            BodyReader.Body read) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        try {
            if (read.tooLarge()) {
                throw tooLarge();
            }
            byte[] body = read.bytes();
            ApplicationRegistration app = appAuth.authenticate(signed(request, Signatures.sha256Hex(body)));
            HttpCall call = new HttpCall(app, parseBody(body), bearer(request), Request.getRemoteAddr(request));
            String requestId = request.getHeaders().get("X-M800-Request-Id");
            if (requestId == null) {
                write(response, callback, 200, route.handle(call));
            } else {
                answerOnce(route, call, method + " " + path, requestId, response, callback);
            }
        } catch (WireException e) {
            write(response, callback, e.httpStatus(), Json.object().set("error", e.toJson()));
        } catch (SQLException | RuntimeException e) {
            LOG.error("Failure on {} {}", method, path, e);
            write(response, callback, 500, Json.object().set("error", WireException.serverError("server error").toJson()));
        }
    }

    private void answerOnce(HttpRouteHandler route, HttpCall call, String type, String requestId, Response response,
            Callback callback) throws WireException, SQLException {
        if (!Limits.REQUEST_ID.matcher(requestId).matches()) {
            throw WireException.invalid("X-M800-Request-Id", "BAD_FIELD", "X-M800-Request-Id must match [A-Za-z0-9._:-]{1,64}");
        }
        // a repeat is the same caller's same request: same endpoint, same bearer, same body
        RequestLog.Request key = new RequestLog.Request("app:" + call.application().applicationKey(), requestId,
                type, call.bearerToken(), Json.write(call.body()));
        int status;
        JsonNode body;
        synchronized (requestLog.lockFor(key.scope(), requestId)) {
            Optional<String> known = requestLog.find(key);
            if (known.isPresent()) {
                JsonNode stored = Json.read(known.get());
                status = stored.get("status").asInt();
                body = stored.get("body");
            } else {
                boolean remember = true;
                try {
                    status = 200;
                    body = route.handle(call);
                } catch (WireException e) {
                    status = e.httpStatus();
                    body = Json.object().set("error", e.toJson());
                    remember = e.isFinal();
                }
                if (remember) {
                    ObjectNode stored = Json.object().put("status", status);
                    stored.set("body", body);
                    requestLog.remember(key, Json.write(stored));
                }
            }
        }
        write(response, callback, status, body);
    }

    private static String bearer(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).strip();
        }
        return null;
    }

    private static WireException tooLarge() {
        return WireException.invalid("body", "TOO_LARGE", "body is larger than " + Limits.MAX_HTTP_BODY_BYTES + " bytes");
    }

    private static ObjectNode parseBody(byte[] body) throws WireException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return Json.object();
        }
        return Json.parseObject(text);
    }

    private static void write(Response response, Callback callback, int status, JsonNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8)), callback);
    }
}
