package org.m800.sdk.file.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.m800.sdk.file.Transfer;

/**
 * What is kept of a transfer in the client's storage so that a later client on the same data directory
 * goes on with it. Immutable; changes make a new record. The offset is not kept: the server (HEAD) or
 * the temporary file says it.
 *
 * @param id the transfer id
 * @param direction which way
 * @param name the file name
 * @param mimeType the type, or {@code null} until known
 * @param size the size, or -1 until known
 * @param sha256 lower-case hex of the whole file, or {@code null} until known
 * @param source an upload's file, or {@code null} for a stream
 * @param sourceModified the source's last-modified time when the upload began, to notice a change
 * @param uploadId the tus upload id once created
 * @param fileId a download's file, or an upload's once complete
 * @param target a download's target
 * @param paused whether the user paused it
 */
record TransferRecord(String id, Transfer.Direction direction, String name, String mimeType, long size,
        String sha256, String source, long sourceModified, String uploadId, String fileId, String target,
        boolean paused) {

    TransferRecord withUploadId(String value) {
        return new TransferRecord(id, direction, name, mimeType, size, sha256, source, sourceModified, value, fileId,
                target, paused);
    }

    TransferRecord withFile(String fileIdValue, String mime, long sizeValue, String sha) {
        return new TransferRecord(id, direction, name, mime, sizeValue, sha, source, sourceModified, uploadId,
                fileIdValue, target, paused);
    }

    TransferRecord withPaused(boolean value) {
        return new TransferRecord(id, direction, name, mimeType, size, sha256, source, sourceModified, uploadId,
                fileId, target, value);
    }

    TransferRecord withContent(String mime, String sha) {
        return new TransferRecord(id, direction, name, mime, size, sha, source, sourceModified, uploadId, fileId,
                target, paused);
    }

    byte[] toBytes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("id", id);
        m.put("direction", direction.name());
        m.put("name", name);
        m.put("mimeType", mimeType);
        m.put("size", size);
        m.put("sha256", sha256);
        m.put("source", source);
        m.put("sourceModified", sourceModified);
        m.put("uploadId", uploadId);
        m.put("fileId", fileId);
        m.put("target", target);
        m.put("paused", paused);
        try {
            return Errors.JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    static TransferRecord fromBytes(byte[] bytes) throws IOException {
        Map<String, Object> m = Errors.JSON.readValue(new String(bytes, StandardCharsets.UTF_8), Map.class);
        return new TransferRecord(text(m, "id"), Transfer.Direction.valueOf(text(m, "direction")), text(m, "name"),
                text(m, "mimeType"), number(m, "size"), text(m, "sha256"), text(m, "source"),
                number(m, "sourceModified"), text(m, "uploadId"), text(m, "fileId"), text(m, "target"),
                Boolean.TRUE.equals(m.get("paused")));
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : -1;
    }
}
