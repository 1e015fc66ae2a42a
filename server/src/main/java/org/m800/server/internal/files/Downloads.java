package org.m800.server.internal.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;

/**
 * {@code GET}/{@code HEAD /v1/files/<fileId>} (the bytes, with ranges) and
 * {@code GET /v1/files/<fileId>/info}, for users who may read the file; everyone else gets the
 * same 404 as for a file that does not exist. Thread-safe.
 */
final class Downloads {
    private final FileStore store;
    private final FileBytes bytes;

    Downloads(FileStore store, FileBytes bytes) {
        this.store = store;
        this.bytes = bytes;
    }

    void info(String userId, String id, Request request, Response response, Callback callback)
            throws FileHttpException, SQLException {
        FileRow f = readable(userId, id);
        ObjectNode info = Json.object().put("fileId", f.id()).put("name", f.name()).put("mimeType", f.mimeType())
                .put("size", f.size()).put("sha256", f.sha256()).put("createdAt", f.createdAt())
                .put("uploaderId", f.uploaderId());
        if (f.width() != null) {
            info.put("width", f.width());
        }
        if (f.height() != null) {
            info.put("height", f.height());
        }
        if (f.durationMs() != null) {
            info.put("durationMs", f.durationMs());
        }
        Answers.json(request, response, callback, 200, info);
    }

    void bytes(String userId, String id, Request request, Response response, Callback callback)
            throws FileHttpException, SQLException, IOException {
        FileRow f = readable(userId, id);
        String etag = "\"" + f.sha256() + "\"";
        ByteRange range;
        try {
            String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
            range = ifRange == null || ifRange.strip().equals(etag)
                    ? ByteRange.parse(request.getHeaders().get(HttpHeader.RANGE), f.size()) : null;
        } catch (ByteRange.Unsatisfiable e) {
            throw FileHttpException.of(416, WireCode.INVALID_ARGUMENT, "RANGE_NOT_SATISFIABLE",
                    "the range is outside the file of " + f.size() + " bytes")
                    .header("Content-Range", "bytes */" + f.size());
        }
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, f.mimeType());
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        // a browser pointed at the file endpoint saves the bytes instead of rendering a declared text/html
        response.getHeaders().put("Content-Disposition", f.name().isEmpty() ? "attachment"
                : "attachment; filename*=UTF-8''" + URLEncoder.encode(f.name(), StandardCharsets.UTF_8).replace("+", "%20"));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "private, no-cache");
        long first = range == null ? 0 : range.first();
        long length = range == null ? f.size() : range.length();
        if (range != null) {
            response.setStatus(206);
            response.getHeaders().put(HttpHeader.CONTENT_RANGE,
                    "bytes " + range.first() + "-" + range.last() + "/" + f.size());
        } else {
            response.setStatus(200);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if ("HEAD".equals(request.getMethod()) || length == 0) {
            callback.succeeded();
            return;
        }
        // blocking writes of one bounded direct buffer: the memory needed does not grow with the file
        TransferRate rate = new TransferRate();
        long[] sent = {0};
        bytes.copy(f.id(), first, length, b -> {
            int n = b.remaining();
            try (Blocker.Callback written = Blocker.callback()) {
                response.write(false, b, written);
                written.block();
            }
            sent[0] += n;
            rate.check(sent[0]);
        });
        callback.succeeded();
    }

    private FileRow readable(String userId, String id) throws FileHttpException, SQLException {
        if (!FileBytes.ID.matcher(id).matches()) {
            throw FileHttpException.notFound("NO_SUCH_FILE", "file");
        }
        return store.readable(id, userId).orElseThrow(() -> FileHttpException.notFound("NO_SUCH_FILE", "file"));
    }
}
