package org.m800.server.internal.files;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Ends a transfer that moves too few bytes, so that a client trickling a body (or reading a download)
 * a byte at a time cannot hold a server thread for ever: Jetty's idle timeout only bounds each wait,
 * not the whole request. After a grace period the average rate must stay at or above a floor far
 * below any real network. Not thread-safe: one per request.
 */
final class TransferRate {
    /** No check before this: slow starts (TCP, a busy client) are fine. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** The floor of the average rate after the grace period. */
    static final long MIN_BYTES_PER_SECOND = 1024;

    private final LongSupplier nanoTime;
    private final long start;

    TransferRate() {
        this(System::nanoTime);
    }

    TransferRate(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    /**
     * @param bytes the bytes moved since this guard was made
     * @throws IOException if the average rate is below the floor after the grace period; the caller
     *         treats it as a cut connection
     */
    void check(long bytes) throws IOException {
        long elapsed = nanoTime.getAsLong() - start;
        if (elapsed > GRACE_NANOS && bytes < MIN_BYTES_PER_SECOND * elapsed / 1_000_000_000L) {
            throw new IOException("transfer too slow: " + bytes + " bytes in " + elapsed / 1_000_000 + " ms (the floor is "
                    + MIN_BYTES_PER_SECOND + " bytes/s after " + GRACE_NANOS / 1_000_000_000L + " s)");
        }
    }
}
