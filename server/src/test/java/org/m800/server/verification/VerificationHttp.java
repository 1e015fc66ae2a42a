package org.m800.server.verification;

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
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A signed HTTP client of the verification endpoints, written from docs/protocol.md sections 4 and 11. */
final class VerificationHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    record Answer(int status, JsonNode body) {
        String code() {
            return body.path("error").path("code").asText(null);
        }

        String reason() {
            return body.path("error").path("reason").asText(null);
        }

        String message() {
            return body.path("error").path("message").asText(null);
        }

        JsonNode ok() {
            if (status != 200) {
                throw new AssertionError("expected 200, got " + this);
            }
            return body;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String key;
    private final String secret;
    private final Clock clock;

    VerificationHttp(URI base, String key, String secret, Clock clock) {
        this.base = base;
        this.key = key;
        this.secret = secret;
        this.clock = clock;
    }

    Answer post(String path, Object body) throws IOException, InterruptedException {
        return post(path, body, null);
    }

    Answer post(String path, Object body, String requestId) throws IOException, InterruptedException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        long ts = clock.millis() / 1000;
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        String canonical = String.join("\n", "M800-HMAC-SHA256", key, "POST", path, Long.toString(ts), nonce,
                sha256(bytes));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-M800-Application-Key", key)
                .header("X-M800-Timestamp", Long.toString(ts)).header("X-M800-Nonce", nonce)
                .header("X-M800-Signature", hmac(secret, canonical))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (requestId != null) {
            b.header("X-M800-Request-Id", requestId);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    Answer start(String phone, String method) throws IOException, InterruptedException {
        return post("/v1/verification/start", JSON.createObjectNode().put("phoneNumber", phone).put("method", method)
                .put("locale", "en-GB"));
    }

    Answer check(String sessionId, String code) throws IOException, InterruptedException {
        return post("/v1/verification/check", JSON.createObjectNode().put("sessionId", sessionId).put("code", code));
    }

    Answer session(String op, String sessionId) throws IOException, InterruptedException {
        return post("/v1/verification/" + op, JSON.createObjectNode().put("sessionId", sessionId));
    }

    /** @return the newest outbox delivery of the session */
    JsonNode delivery(String sessionId) throws IOException, InterruptedException {
        for (JsonNode d : post("/v1/verification/outbox", JSON.createObjectNode().put("limit", 100)).ok()
                .path("deliveries")) {
            if (d.path("sessionId").asText().equals(sessionId)) {
                return d;
            }
        }
        throw new AssertionError("no delivery of " + sessionId + " in the outbox");
    }

    String code(String sessionId) throws IOException, InterruptedException {
        return delivery(sessionId).path("code").asText();
    }

    Answer signUp(String username, String proof) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", "correct horse");
        if (proof != null) {
            body.put("verificationProof", proof);
        }
        return post("/v1/accounts/signup", body);
    }

    private static String hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
