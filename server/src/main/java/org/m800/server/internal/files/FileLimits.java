package org.m800.server.internal.files;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the file endpoints keep bytes and how much they accept (docs/protocol.md section 12).
 *
 * @param directory the folder of the bytes; {@code null} for a temporary folder deleted when the
 *        server closes (a server without a data directory)
 * @param maxFileBytes the largest file ({@code Upload-Length}); larger → 413 {@code TOO_LARGE}
 * @param storagePerUserBytes the sum of the sizes of one user's files and unfinished uploads;
 *        beyond it → 413 {@code QUOTA_EXCEEDED}
 * @param uploadExpiry how long an upload may stay unfinished; then it and its bytes are deleted
 */
public record FileLimits(Path directory, long maxFileBytes, long storagePerUserBytes, Duration uploadExpiry) {
    public static final long DEFAULT_MAX_FILE_BYTES = 100L << 20;
    public static final long DEFAULT_STORAGE_PER_USER_BYTES = 1L << 30;
    public static final Duration DEFAULT_UPLOAD_EXPIRY = Duration.ofHours(24);

    public FileLimits {
        if (maxFileBytes < 0 || storagePerUserBytes < 0) {
            throw new IllegalArgumentException("file limits must not be negative");
        }
        if (uploadExpiry == null || uploadExpiry.isNegative() || uploadExpiry.isZero()) {
            throw new IllegalArgumentException("uploadExpiry must be positive, was " + uploadExpiry);
        }
    }

    /** @return the defaults with the given folder (may be null) */
    public static FileLimits defaults(Path directory) {
        return new FileLimits(directory, DEFAULT_MAX_FILE_BYTES, DEFAULT_STORAGE_PER_USER_BYTES, DEFAULT_UPLOAD_EXPIRY);
    }
}
