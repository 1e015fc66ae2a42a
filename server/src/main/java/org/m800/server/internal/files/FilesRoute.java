package org.m800.server.internal.files;

import java.io.IOException;
import java.sql.SQLException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.m800.server.internal.accounts.AccountService;
import org.m800.server.internal.http.HttpCall;
import org.m800.server.internal.http.StreamRoute;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request under {@code /v1/files/}: the user's bearer token, the tus version, then the upload
 * or download operation by method and path. The application signature was checked by the HTTP API
 * (with the empty body's hash).
 */
final class FilesRoute implements StreamRoute {
    private static final Logger LOG = LoggerFactory.getLogger(FilesRoute.class);
    static final String PREFIX = "/v1/files/";
    private static final String UPLOADS = "uploads";

    private final AccountService accounts;
    private final TusUploads uploads;
    private final Downloads downloads;

    FilesRoute(AccountService accounts, TusUploads uploads, Downloads downloads) {
        this.accounts = accounts;
        this.uploads = uploads;
        this.downloads = downloads;
    }

    @Override
    public boolean isPublic(Request request) {
        return "OPTIONS".equals(request.getMethod()) && TusUploads.UPLOADS_PATH.equals(Request.getPathInContext(request));
    }

    @Override
    public void handle(Request request, Response response, Callback callback, HttpCall call) {
        String path = Request.getPathInContext(request);
        String rest = path.substring(PREFIX.length());
        boolean tus = rest.equals(UPLOADS) || rest.startsWith(UPLOADS + "/");
        if (tus) {
            response.getHeaders().put("Tus-Resumable", TusUploads.VERSION);
        }
        try {
            if (call == null) {
                uploads.options(response, callback);
                return;
            }
            String userId = userId(call);
            if (tus) {
                upload(userId, rest, request, response, callback);
            } else {
                download(userId, rest, request, response, callback);
            }
        } catch (FileHttpException e) {
            Answers.error(request, response, callback, e);
        } catch (WireException e) {
            Answers.error(request, response, callback, new FileHttpException(e.httpStatus(), e));
        } catch (IOException e) {
            // the client went away mid-body or mid-download: what arrived is kept, nobody to answer
            LOG.debug("{} {} cut: {}", request.getMethod(), path, e.toString());
            callback.failed(e);
        } catch (SQLException | RuntimeException e) {
            LOG.error("Failure on {} {}", request.getMethod(), path, e);
            Answers.error(request, response, callback, new FileHttpException(500,
                    WireException.serverError("server error")));
        }
    }

    private void upload(String userId, String rest, Request request, Response response, Callback callback)
            throws FileHttpException, SQLException, IOException {
        String version = request.getHeaders().get("Tus-Resumable");
        if (!TusUploads.VERSION.equals(version)) {
            throw FileHttpException.of(412, WireCode.PROTOCOL, "UNSUPPORTED_VERSION",
                    "Tus-Resumable: " + TusUploads.VERSION + " is required").header("Tus-Version", TusUploads.VERSION);
        }
        String method = request.getMethod();
        if (rest.equals(UPLOADS)) {
            if ("POST".equals(method)) {
                uploads.create(userId, request, response, callback);
                return;
            }
            throw noSuchPath(method, rest);
        }
        String id = rest.substring(UPLOADS.length() + 1);
        String override = request.getHeaders().get("X-HTTP-Method-Override");
        if ("POST".equals(method) && override != null) {
            method = override.strip().toUpperCase(java.util.Locale.ROOT);
        }
        switch (method) {
            case "HEAD" -> uploads.head(userId, id, response, callback);
            case "PATCH" -> uploads.patch(userId, id, request, response, callback);
            case "DELETE" -> uploads.terminate(userId, id, request, response, callback);
            default -> throw noSuchPath(method, rest);
        }
    }

    private void download(String userId, String rest, Request request, Response response, Callback callback)
            throws FileHttpException, SQLException, IOException {
        String method = request.getMethod();
        if (rest.endsWith("/info") && "GET".equals(method)) {
            downloads.info(userId, rest.substring(0, rest.length() - "/info".length()), request, response, callback);
        } else if (!rest.contains("/") && ("GET".equals(method) || "HEAD".equals(method))) {
            downloads.bytes(userId, rest, request, response, callback);
        } else {
            throw noSuchPath(method, rest);
        }
    }

    private String userId(HttpCall call) throws WireException, SQLException {
        if (call.bearerToken() == null) {
            throw WireException.unauthorized("TOKEN_INVALID", "Authorization: Bearer <accessToken> is required");
        }
        return accounts.authenticate(call.application(), call.bearerToken()).userId();
    }

    private static FileHttpException noSuchPath(String method, String rest) {
        return FileHttpException.of(404, WireCode.NOT_FOUND, "NO_SUCH_PATH",
                "no such path: " + method + " " + PREFIX + rest);
    }
}
