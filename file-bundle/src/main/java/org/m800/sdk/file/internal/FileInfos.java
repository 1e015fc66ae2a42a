package org.m800.sdk.file.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;

/** {@code GET /v1/files/<id>/info}, and its JSON read into a {@link FileInfo}. */
final class FileInfos {

    private FileInfos() {
    }

    /**
     * @throws IOException a network failure or a server failure worth retrying
     * @throws M800Exception NOT_FOUND and the other final answers
     */
    static FileInfo fetch(FileHttp http, String fileId, Duration timeout, FileHttp.Abort abort) throws IOException {
        FileHttp.Answer a = http.exchange("GET", "/v1/files/" + fileId + "/info", Map.of(), null, null, timeout, abort);
        if (a.status() == 200) {
            return parse(a.body(), fileId);
        }
        if (Errors.retryable(a.status())) {
            throw new IOException("GET info answered HTTP " + a.status());
        }
        throw Errors.of(a, "the file " + fileId);
    }

    static FileInfo parse(String json, String fileId) {
        try {
            Map<?, ?> m = Errors.JSON.readValue(json, Map.class);
            Object size = m.get("size");
            Object sha = m.get("sha256");
            if (!(size instanceof Number) || !(sha instanceof String) || m.get("fileId") == null) {
                throw new M800Exception(ErrorCode.PROTOCOL, "the info of file " + fileId
                        + " lacks fileId, size or sha256");
            }
            Object name = m.get("name");
            Object mime = m.get("mimeType");
            return new FileInfo(m.get("fileId").toString(), name == null ? fileId : name.toString(),
                    mime == null ? "application/octet-stream" : mime.toString(), ((Number) size).longValue(),
                    sha.toString().toLowerCase(java.util.Locale.ROOT));
        } catch (IOException e) {
            throw new M800Exception(ErrorCode.PROTOCOL, "the info of file " + fileId + " is not JSON");
        }
    }
}
