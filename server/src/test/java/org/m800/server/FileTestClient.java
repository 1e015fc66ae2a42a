package org.m800.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client of the file endpoints written from docs/protocol.md section 12 (not from the server's
 * code): signs every request with the empty body's hash, adds the bearer and {@code Tus-Resumable}.
 */
final class FileTestClient {
    static final String EMPTY_HASH = HttpTestClient.sha256Hex(new byte[0]);
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String key;
    private final String secret;
    private final String bearer;

    FileTestClient(URI base, String key, String secret, String bearer) {
        this.base = base;
        this.key = key;
        this.secret = secret;
        this.bearer = bearer;
    }

    static FileTestClient dev(ReferenceServer server, String bearer) {
        return new FileTestClient(server.httpUri(), "dev-key", "dev-secret", bearer);
    }

    /** @return the signed request builder for the path (with {@code Tus-Resumable} on upload paths) */
    HttpRequest.Builder request(String method, String path, HttpRequest.BodyPublisher body) {
        long ts = HttpTestClient.now();
        String nonce = HttpTestClient.nonce();
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("X-M800-Application-Key", key)
                .header("X-M800-Timestamp", Long.toString(ts))
                .header("X-M800-Nonce", nonce)
                .header("X-M800-Signature", HttpTestClient.sign(key, secret, method, path, ts, nonce, EMPTY_HASH))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (path.startsWith("/v1/files/uploads")) {
            b.header("Tus-Resumable", "1.0.0");
        }
        return b;
    }

    HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpClient http() {
        return http;
    }

    /** POST /v1/files/uploads with the metadata (values are base64-encoded here). */
    HttpResponse<byte[]> create(long length, Map<String, byte[]> metadata) throws IOException, InterruptedException {
        HttpRequest.Builder b = request("POST", "/v1/files/uploads", null).header("Upload-Length", Long.toString(length));
        if (metadata != null && !metadata.isEmpty()) {
            StringBuilder m = new StringBuilder();
            metadata.forEach((k, v) -> m.append(m.length() == 0 ? "" : ",").append(k).append(' ')
                    .append(Base64.getEncoder().encodeToString(v)));
            b.header("Upload-Metadata", m.toString());
        }
        return send(b);
    }

    /** Creates an upload for these bytes, named, with their whole-file SHA-256; asserts 201. @return its path */
    String createFor(byte[] content, String name) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = create(content.length, metadata(name, "application/octet-stream", sha256(content)));
        if (r.statusCode() != 201) {
            throw new AssertionError("creation failed: " + r.statusCode() + " " + text(r));
        }
        return r.headers().firstValue("Location").orElseThrow();
    }

    HttpResponse<byte[]> patch(String location, long offset, byte[] body, String checksum)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request("PATCH", location, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset));
        if (checksum != null) {
            b.header("Upload-Checksum", checksum);
        }
        return send(b);
    }

    HttpResponse<byte[]> head(String path) throws IOException, InterruptedException {
        return send(request("HEAD", path, null));
    }

    HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request("GET", path, null);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    HttpResponse<byte[]> delete(String path) throws IOException, InterruptedException {
        return send(request("DELETE", path, null));
    }

    /** Uploads the bytes in one PATCH and asserts success. @return the file id */
    String upload(byte[] content, String name) throws IOException, InterruptedException {
        String location = createFor(content, name);
        if (content.length == 0) {
            return location.substring(location.lastIndexOf('/') + 1);
        }
        HttpResponse<byte[]> r = patch(location, 0, content, null);
        if (r.statusCode() != 204) {
            throw new AssertionError("PATCH failed: " + r.statusCode() + " " + text(r));
        }
        return r.headers().firstValue("M800-File-Id").orElseThrow();
    }

    static Map<String, byte[]> metadata(String name, String type, byte[] sha256) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        if (name != null) {
            m.put("filename", name.getBytes(StandardCharsets.UTF_8));
        }
        if (type != null) {
            m.put("filetype", type.getBytes(StandardCharsets.UTF_8));
        }
        if (sha256 != null) {
            m.put("sha256", sha256);
        }
        return m;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static String checksum(String algorithm, byte[] body) {
        try {
            MessageDigest d = MessageDigest.getInstance("sha1".equals(algorithm) ? "SHA-1" : "SHA-256");
            return algorithm + " " + Base64.getEncoder().encodeToString(d.digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String reason(HttpResponse<byte[]> r) throws IOException {
        return HttpTestClient.JSON.readTree(r.body()).path("error").path("reason").asText(null);
    }

    static String code(HttpResponse<byte[]> r) throws IOException {
        return HttpTestClient.JSON.readTree(r.body()).path("error").path("code").asText(null);
    }
}
