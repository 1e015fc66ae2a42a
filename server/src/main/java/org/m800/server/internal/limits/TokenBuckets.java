package org.m800.server.internal.limits;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One token bucket per key (a user, an address, an application): up to {@code burst} actions at once,
 * then {@code perSecond} on average. A key's bucket is dropped once it has filled up again (a full
 * bucket is the same as none), so memory is bounded by the keys active within one refill time, not by
 * every key ever seen. Thread-safe; one key's take is atomic, different keys do not wait on each other.
 *
 * <h2>A refusal holds the key off</h2>
 * Once a take is refused, every take of that key is refused for at least {@value #HOLD_MS} ms after the
 * latest refusal, although tokens trickle back meanwhile. Clients pipeline requests: had one token
 * come back between two pipelined messages, the first would be refused and the second accepted, and
 * a sender's messages would be accepted out of the order they were sent in. Held off, the refused
 * message and every one pipelined behind it are refused together and can be sent again in order after
 * {@code retryAfterMs}.
 */
public final class TokenBuckets {
    private static final int SWEEP_EVERY = 4_096;
    /** How long a key stays refused after its latest refusal. */
    static final long HOLD_MS = 1_000;

    private final Clock clock;
    private final double perMs;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    /**
     * @param perSecond tokens added per second; positive
     * @param burst the bucket's size; at least 1
     * @throws IllegalArgumentException if either is out of range
     */
    public TokenBuckets(Clock clock, double perSecond, int burst) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("the rate must be positive and finite, was " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("the burst must be at least 1, was " + burst);
        }
        this.clock = clock;
        this.perMs = perSecond / 1_000.0;
        this.burst = burst;
    }

    /**
     * Takes one token of the key's bucket.
     *
     * @return 0 if taken; otherwise how many milliseconds until a token is there (nothing taken)
     */
    public long take(String key) {
        long now = clock.millis();
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(now);
        }
        long[] wait = new long[1];
        buckets.compute(key, (k, b) -> {
            Bucket bucket = b == null ? new Bucket(burst, now) : b;
            bucket.refill(now, perMs, burst);
            if (now < bucket.holdUntilMs) {
                bucket.holdUntilMs = now + HOLD_MS;
                wait[0] = HOLD_MS;
            } else if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
            } else {
                wait[0] = Math.max(HOLD_MS, (long) Math.ceil((1 - bucket.tokens) / perMs));
                bucket.holdUntilMs = now + wait[0];
            }
            return bucket;
        });
        return wait[0];
    }

    /** Drops the buckets that are full again. */
    void sweep(long now) {
        for (String key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, b) -> {
                b.refill(now, perMs, burst);
                return b.tokens >= burst && now >= b.holdUntilMs ? null : b;
            });
        }
    }

    /** @return how many keys have a bucket (tests of the memory bound) */
    int keys() {
        return buckets.size();
    }

    /** Guarded by the map's per-key lock (compute). */
    private static final class Bucket {
        double tokens;
        long lastMs;
        /** Takes before this instant are refused (a refusal holds the key off). */
        long holdUntilMs;

        Bucket(double tokens, long lastMs) {
            this.tokens = tokens;
            this.lastMs = lastMs;
        }

        void refill(long now, double perMs, double burst) {
            // a clock set back adds nothing rather than taking tokens away
            long elapsed = Math.max(0, now - lastMs);
            tokens = Math.min(burst, tokens + elapsed * perMs);
            lastMs = Math.max(lastMs, now);
        }
    }
}
