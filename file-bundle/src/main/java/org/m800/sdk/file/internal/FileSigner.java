package org.m800.sdk.file.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.m800.sdk.core.AppMeta;

/**
 * The application signature of {@code docs/protocol.md} section 4 for file requests: for paths under
 * {@code /v1/files/} the body hash is always that of the empty string (section 12), so a streamed
 * binary body is signed before it is read. Thread-safe.
 */
final class FileSigner {

    /** SHA-256 of the empty string, the body hash of every file request. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final String key;
    private final SecretKeySpec secret;

    FileSigner(AppMeta meta) {
        this.key = meta.applicationKey();
        this.secret = new SecretKeySpec(meta.applicationSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** @return the four signature headers for a request with that method and path (as sent) */
    Map<String, String> headers(String method, String path) {
        long timestamp = System.currentTimeMillis() / 1000;
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        String canonical = String.join("\n", "M800-HMAC-SHA256", key, method, path, Long.toString(timestamp), nonce,
                EMPTY_SHA256);
        return Map.of("X-M800-Application-Key", key, "X-M800-Timestamp", Long.toString(timestamp),
                "X-M800-Nonce", nonce, "X-M800-Signature", hmacHex(canonical));
    }

    private String hmacHex(String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HEX.formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
