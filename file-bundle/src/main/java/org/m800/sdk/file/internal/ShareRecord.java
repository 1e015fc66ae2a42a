package org.m800.sdk.file.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A share kept in the client's storage until its media message is in chat's outbox.
 *
 * @param id the share id
 * @param conversationId where the message goes
 * @param uploadId the transfer id of the file's upload
 * @param thumbnailUploadId the transfer id of the thumbnail's upload, or {@code null}
 * @param caption the caption, or {@code null}
 * @param width image width, or {@code null}
 * @param height image height, or {@code null}
 * @param durationMs duration, or {@code null}
 * @param analyzed whether the media analysis ran (its results above, the thumbnail's upload)
 * @param handedToChat set just before the message is given to chat: a later client checks chat's
 *        outbox and history for it instead of sending it twice
 */
record ShareRecord(String id, String conversationId, String uploadId, String thumbnailUploadId, String caption,
        Long width, Long height, Long durationMs, boolean analyzed, boolean handedToChat) {

    ShareRecord handed() {
        return new ShareRecord(id, conversationId, uploadId, thumbnailUploadId, caption, width, height, durationMs,
                analyzed, true);
    }

    ShareRecord withAnalysis(String thumbnailUpload, Long w, Long h, Long duration) {
        return new ShareRecord(id, conversationId, uploadId, thumbnailUpload, caption, w, h, duration, true,
                handedToChat);
    }

    byte[] toBytes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("id", id);
        m.put("conversationId", conversationId);
        m.put("uploadId", uploadId);
        m.put("thumbnailUploadId", thumbnailUploadId);
        m.put("caption", caption);
        m.put("width", width);
        m.put("height", height);
        m.put("durationMs", durationMs);
        m.put("analyzed", analyzed);
        m.put("handedToChat", handedToChat);
        try {
            return Errors.JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    static ShareRecord fromBytes(byte[] bytes) throws IOException {
        Map<String, Object> m = Errors.JSON.readValue(new String(bytes, StandardCharsets.UTF_8), Map.class);
        return new ShareRecord(text(m, "id"), text(m, "conversationId"), text(m, "uploadId"),
                text(m, "thumbnailUploadId"), text(m, "caption"), number(m, "width"), number(m, "height"),
                number(m, "durationMs"), Boolean.TRUE.equals(m.get("analyzed")),
                Boolean.TRUE.equals(m.get("handedToChat")));
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    private static Long number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : null;
    }
}
