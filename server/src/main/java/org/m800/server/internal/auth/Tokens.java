package org.m800.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** Opaque bearer tokens: 256 random bits, base64url; stored only as their SHA-256 hash. Thread-safe. */
public final class Tokens {
    private final SecureRandom random = new SecureRandom();

    /** @return a new token of 43 characters */
    public String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @return a new random identifier with the prefix, such as {@code u-...} */
    public String newId(String prefix) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @return the stored form of a token */
    public static String hash(String token) {
        return Signatures.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    }
}
