package org.m800.server.internal.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/** The digests of the tus checksum extension ({@code sha1}, {@code sha256}) and the whole-file SHA-256. */
final class Digests {
    /** The value of {@code Tus-Checksum-Algorithm}. */
    static final String ALGORITHMS = "sha1,sha256";

    private Digests() {
    }

    static MessageDigest sha256() {
        return of("SHA-256");
    }

    /** @return a digest for a tus algorithm name, or null if it is not supported */
    static MessageDigest forTus(String algorithm) {
        return switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "sha1" -> of("SHA-1");
            case "sha256" -> of("SHA-256");
            default -> null;
        };
    }

    private static MessageDigest of(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " unavailable", e);
        }
    }
}
