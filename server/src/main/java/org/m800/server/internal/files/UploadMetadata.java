package org.m800.server.internal.files;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tus {@code Upload-Metadata} header: comma-separated {@code key base64value} pairs. The keys this
 * server uses: {@code filename}, {@code filetype}, {@code sha256} (the 32-byte whole-file hash in
 * base64, or 64 hex characters), and the optional {@code width}, {@code height}, {@code durationMs}
 * (decimal text). Other keys are ignored.
 *
 * @param name the file name, empty if none
 * @param mimeType the type, {@code application/octet-stream} if none
 * @param sha256 lowercase hex, or null
 */
record UploadMetadata(String name, String mimeType, String sha256, Long width, Long height, Long durationMs) {
    static final int MAX_NAME_CHARS = 255;
    static final int MAX_HEADER_CHARS = 4096;
    private static final Pattern MIME = Pattern.compile("[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}");
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String DEFAULT_TYPE = "application/octet-stream";

    static UploadMetadata parse(String header) throws FileHttpException {
        if (header == null || header.isBlank()) {
            return new UploadMetadata("", DEFAULT_TYPE, null, null, null, null);
        }
        if (header.length() > MAX_HEADER_CHARS) {
            throw bad("Upload-Metadata is longer than " + MAX_HEADER_CHARS + " characters");
        }
        Map<String, byte[]> values = new HashMap<>();
        for (String pair : header.split(",")) {
            String p = pair.strip();
            if (p.isEmpty()) {
                continue;
            }
            int space = p.indexOf(' ');
            String key = space < 0 ? p : p.substring(0, space);
            byte[] value = space < 0 ? new byte[0] : decode(key, p.substring(space + 1).strip());
            if (values.put(key, value) != null) {
                throw bad("Upload-Metadata names " + key + " twice");
            }
        }
        String name = text(values, "filename");
        if (name.codePointCount(0, name.length()) > MAX_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
            throw bad("filename must be at most " + MAX_NAME_CHARS + " characters without control characters");
        }
        String type = text(values, "filetype");
        if (type.isEmpty()) {
            type = DEFAULT_TYPE;
        } else if (!MIME.matcher(type).matches()) {
            throw bad("filetype must be a MIME type such as image/jpeg (no parameters)");
        }
        return new UploadMetadata(name, type.toLowerCase(Locale.ROOT), sha256(values.get("sha256")),
                number(values, "width"), number(values, "height"), number(values, "durationMs"));
    }

    private static String text(Map<String, byte[]> values, String key) {
        byte[] v = values.get(key);
        return v == null ? "" : new String(v, StandardCharsets.UTF_8);
    }

    private static byte[] decode(String key, String b64) throws FileHttpException {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw bad("the value of " + key + " in Upload-Metadata is not base64");
        }
    }

    /** The decoded value is the raw 32 bytes (as the contract says) or 64 hex characters. */
    private static String sha256(byte[] raw) throws FileHttpException {
        if (raw == null) {
            return null;
        }
        if (raw.length == 32) {
            return HexFormat.of().formatHex(raw);
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (HEX_64.matcher(text).matches()) {
            return text.toLowerCase(Locale.ROOT);
        }
        throw bad("sha256 in Upload-Metadata must be the base64 of the 32-byte SHA-256 of the file, was "
                + raw.length + " bytes");
    }

    private static Long number(Map<String, byte[]> values, String key) throws FileHttpException {
        if (!values.containsKey(key)) {
            return null;
        }
        String v = text(values, key);
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key + " in Upload-Metadata must be a non-negative decimal number");
        }
    }

    private static FileHttpException bad(String message) {
        return FileHttpException.invalid(400, "Upload-Metadata", "BAD_FIELD", message);
    }
}
