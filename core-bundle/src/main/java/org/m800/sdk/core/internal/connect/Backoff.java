package org.m800.sdk.core.internal.connect;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with "equal jitter": half the delay fixed, half random. */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;

    Backoff(Duration min, Duration max) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** @param round 1 for the first wait after a failed round, 2 for the next... */
    long delayMillis(int round) {
        int shift = Math.min(Math.max(round - 1, 0), 30);
        long ceiling = Math.min(maxMillis, minMillis << shift);
        if (ceiling <= 0) {
            ceiling = maxMillis;
        }
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }
}
