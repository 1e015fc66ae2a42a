package org.m800.server.internal.verification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time codes: drawn from {@link SecureRandom}, stored as HMAC-SHA256 under a per-session random
 * salt (never in clear), compared in constant time. Thread-safe.
 */
final class Codes {
    private final SecureRandom random = new SecureRandom();

    /** @return {@code length} uniformly random decimal digits */
    String newCode(int length) {
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            code.append((char) ('0' + random.nextInt(10)));
        }
        return code.toString();
    }

    /** @return a new salt, 32 hex characters */
    String newSalt() {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return HexFormat.of().formatHex(salt);
    }

    /** @return the stored form of a code of one session */
    static String hash(String salt, String sessionId, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(salt), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((sessionId + ':' + code).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** @return whether the code matches the stored hash; takes the same time whatever the code */
    static boolean matches(String salt, String sessionId, String code, String storedHash) {
        return MessageDigest.isEqual(hash(salt, sessionId, code).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
