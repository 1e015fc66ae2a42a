package org.m800.sdk.file.internal;

import java.util.ArrayDeque;

import org.m800.sdk.file.TransferProgress;

/**
 * Rate and time left of a transfer, over a sliding window of the last few seconds of samples. Not
 * thread-safe: the owning transfer calls it under its own lock.
 */
final class ProgressMeter {

    static final long WINDOW_NANOS = 3_000_000_000L;

    private record Sample(long nanos, long bytes) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** Records that {@code bytesDone} were done at {@code nanos}. */
    void sample(long nanos, long bytesDone) {
        samples.addLast(new Sample(nanos, bytesDone));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > WINDOW_NANOS) {
            samples.removeFirst();
        }
    }

    /** Forgets the rate (the transfer stopped or went back to an earlier offset). */
    void reset() {
        samples.clear();
    }

    /** @return the progress with the recent rate, or no rate when {@code running} is false */
    TransferProgress progress(long bytesDone, long total, boolean running) {
        if (!running || samples.size() < 2) {
            return new TransferProgress(bytesDone, total, 0, -1);
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long nanos = last.nanos() - first.nanos();
        long bytes = last.bytes() - first.bytes();
        if (nanos <= 0 || bytes <= 0) {
            return new TransferProgress(bytesDone, total, 0, -1);
        }
        long rate = (long) (bytes * 1e9 / nanos);
        long eta = total < 0 || rate == 0 ? -1 : Math.max(0, (long) ((total - bytesDone) * 1000.0 / rate));
        return new TransferProgress(bytesDone, total, rate, eta < 0 ? -1 : eta);
    }
}
