package org.m800.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test client of the HTTP side written from docs/protocol.md (it does not use the server's code),
 * signing requests as an application.
 */
final class HttpTestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An HTTP answer. */
    record Answer(int status, JsonNode body) {
        String errorCode() {
            return body.path("error").path("code").asText(null);
        }

        String errorReason() {
            return body.path("error").path("reason").asText(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI base;
    private final String key;
    private final String secret;

    HttpTestClient(URI base, String key, String secret) {
        this.base = base;
        this.key = key;
        this.secret = secret;
    }

    static HttpTestClient dev(ReferenceServer server) {
        return new HttpTestClient(server.httpUri(), "dev-key", "dev-secret");
    }

    static String nonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(String key, String secret, String method, String path, long timestamp, String nonce,
            String bodyHash) {
        String canonical = String.join("\n", "M800-HMAC-SHA256", key, method, path, Long.toString(timestamp), nonce,
                bodyHash);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Answer post(String path, Object body) throws IOException, InterruptedException {
        return send("POST", path, body, null, null, now(), nonce(), secret);
    }

    Answer post(String path, Object body, String bearer, String requestId) throws IOException, InterruptedException {
        return send("POST", path, body, bearer, requestId, now(), nonce(), secret);
    }

    Answer get(String path, String bearer) throws IOException, InterruptedException {
        return send("GET", path, null, bearer, null, now(), nonce(), secret);
    }

    /** Sends with explicit signing inputs; {@code signingSecret} may differ from the real one. */
    Answer send(String method, String path, Object body, String bearer, String requestId, long timestamp,
            String nonce, String signingSecret) throws IOException, InterruptedException {
        byte[] bytes = body == null ? new byte[0]
                : (body instanceof String s ? s : JSON.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("X-M800-Application-Key", key)
                .header("X-M800-Timestamp", Long.toString(timestamp))
                .header("X-M800-Nonce", nonce)
                .header("X-M800-Signature", sign(key, signingSecret, method, path, timestamp, nonce, sha256Hex(bytes)))
                .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (requestId != null) {
            b.header("X-M800-Request-Id", requestId);
        }
        return answer(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    Answer unsigned(String method, String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return answer(http.send(r, HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> r) throws IOException {
        return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }

    /** Signs up a new user; asserts success. @return the sign-up answer (tokens, profile) */
    JsonNode signUp(String username, String password) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        Answer a = post("/v1/accounts/signup", body);
        if (a.status() != 200) {
            throw new AssertionError("sign-up failed: " + a);
        }
        return a.body();
    }

    Answer logIn(String username, String password) throws IOException, InterruptedException {
        return post("/v1/accounts/login", JSON.createObjectNode().put("username", username).put("password", password));
    }

    String key() {
        return key;
    }

    String secret() {
        return secret;
    }
}
