package org.m800.server.internal.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashes, stored as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * (base64). Thread-safe.
 */
public final class PasswordHasher {
    private static final int ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final String PREFIX = "pbkdf2-sha256";

    /**
     * What {@link #verify} checks a password against when there is no stored hash: the same parameters as
     * a real hash, so that it derives with the same cost, but with a hash nothing derives to. It is built
     * without deriving anything: a real hash here cost every server start one full PBKDF2 (a third of the
     * embedded server's start-up CPU in the runtime), and a dummy's hash is never meant to match.
     */
    private static final String DUMMY_HASH;

    static {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        DUMMY_HASH = PREFIX + "$" + ITERATIONS + "$" + b64.encodeToString(new byte[SALT_BYTES]) + "$"
                + b64.encodeToString(new byte[HASH_BITS / 8]);
    }

    private final SecureRandom random = new SecureRandom();

    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, ITERATIONS);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** @return whether the password matches the stored hash; a {@code null} hash costs the same time and fails */
    public boolean verify(char[] password, String stored) {
        String s = stored == null ? DUMMY_HASH : stored;
        String[] parts = s.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(parts[3]);
        byte[] actual = derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual) && stored != null;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }
}
