package org.m800.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    public HttpApi(HttpRoutes routes, AppAuthenticator appAuth, RequestLog requestLog, BooleanSupplier ready) {
        this.routes = routes;
        this.appAuth = appAuth;
        this.requestLog = requestLog;
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if ("/health".equals(path) && "GET".equals(method)) {
            boolean up = ready.getAsBoolean();
            ObjectNode body = Json.object().put("status", up ? "UP" : "STARTING_OR_STOPPING");
            write(response, callback, up ? 200 : 503, body);
            return true;
        }
        try {
            Optional<HttpRouteHandler> route = routes.find(method, path);
            if (route.isEmpty()) {
                Matcher m = VERSIONED.matcher(path);
                if (m.matches() && !"1".equals(m.group(1))) {
                    throw WireException.unsupportedVersion("HTTP API version " + m.group(1) + " is not supported",
                            Limits.supportedVersions());
                }
                throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_PATH", "no such path: " + method + " " + path);
            }
            byte[] body = readBody(request);
            ApplicationRegistration app = appAuth.authenticate(new SignedRequest(
                    request.getHeaders().get("X-M800-Application-Key"), request.getHeaders().get("X-M800-Timestamp"),
                    request.getHeaders().get("X-M800-Nonce"), request.getHeaders().get("X-M800-Signature"), method,
                    request.getHttpURI().getPathQuery(), Signatures.sha256Hex(body)));
            HttpCall call = new HttpCall(app, parseBody(body), bearer(request), Request.getRemoteAddr(request));
            String requestId = request.getHeaders().get("X-M800-Request-Id");
            if (requestId == null) {
                write(response, callback, 200, route.get().handle(call));
            } else {
                answerOnce(route.get(), call, method + " " + path, requestId, response, callback);
            }
        } catch (WireException e) {
            write(response, callback, e.httpStatus(), Json.object().set("error", e.toJson()));
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.error("Failure on {} {}", method, path, e);
            write(response, callback, 500, Json.object().set("error", WireException.serverError("server error").toJson()));
        }
        return true;
    }

    private void answerOnce(HttpRouteHandler route, HttpCall call, String type, String requestId, Response response,
            Callback callback) throws WireException, SQLException {
        if (!Limits.REQUEST_ID.matcher(requestId).matches()) {
            throw WireException.invalid("X-M800-Request-Id", "BAD_FIELD", "X-M800-Request-Id must match [A-Za-z0-9._:-]{1,64}");
        }
        String scope = "app:" + call.application().applicationKey();
        int status;
        JsonNode body;
        synchronized (requestLog.lockFor(scope)) {
            Optional<RequestLog.Answer> known = requestLog.find(scope, requestId);
            if (known.isPresent()) {
                if (!known.get().type().equals(type)) {
                    throw WireException.of(WireCode.CONFLICT, "REQUEST_ID_REUSED",
                            "request id was used for another request");
                }
                JsonNode stored = Json.read(known.get().answerJson());
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
                    requestLog.remember(scope, requestId, type, Json.write(stored));
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

    private static byte[] readBody(Request request) throws IOException, WireException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (request.getLength() > Limits.MAX_HTTP_BODY_BYTES) {
                throw tooLarge(in);
            }
            byte[] body = in.readNBytes(Limits.MAX_HTTP_BODY_BYTES + 1);
            if (body.length > Limits.MAX_HTTP_BODY_BYTES) {
                throw tooLarge(in);
            }
            return body;
        }
    }

    /** Reads and drops the rest of the body (up to a bound), so that the 413 reaches the client. */
    private static WireException tooLarge(InputStream in) throws IOException {
        long left = Limits.MAX_DISCARDED_HTTP_BODY_BYTES;
        byte[] sink = new byte[8192];
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
            left -= n;
        }
        return tooLarge();
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
