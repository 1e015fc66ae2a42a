package org.m800.sdk.core.internal.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.m800.sdk.core.AppMeta;

/**
 * Signs requests with the application's secret: HMAC-SHA256 over the canonical string of
 * docs/protocol.md section 4.1. Thread-safe.
 */
public final class AppSigner {

    /** The four values that go into headers or the hello's {@code app} object. */
    public record Signature(String key, long timestamp, String nonce, String signature) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final String key;
    private final SecretKeySpec secret;

    public AppSigner(AppMeta meta) {
        this.key = meta.applicationKey();
        this.secret = new SecretKeySpec(meta.applicationSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * @param method {@code POST}, {@code GET} or {@code HELLO}
     * @param path the path (and query) as sent
     * @param body the body bytes; for a hello, the access token's UTF-8 bytes
     */
    public Signature sign(String method, String path, byte[] body) {
        long timestamp = System.currentTimeMillis() / 1000;
        String nonce = nonce();
        String canonical = String.join("\n", "M800-HMAC-SHA256", key, method, path, Long.toString(timestamp), nonce,
                sha256Hex(body));
        return new Signature(key, timestamp, nonce, hmacHex(canonical));
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

    static String sha256Hex(byte[] body) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java 17 runtime", e);
        }
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
