package org.m800.server.internal.contacts;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.m800.server.internal.wire.WireException;

/**
 * Limits how many numbers one user may look up per window, so that matching cannot be used to
 * enumerate a carrier's users. Counts only (in memory, per user); never the numbers. Thread-safe.
 */
final class MatchLimiter {
    static final int MAX_NUMBERS_PER_WINDOW = 100_000;
    static final long WINDOW_MS = 3_600_000;

    private record Window(long start, int count) {
    }

    private final Clock clock;
    private final int max;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    MatchLimiter(Clock clock, int max) {
        this.clock = clock;
        this.max = max;
    }

    /** Counts {@code numbers} look-ups of the user, or refuses them all with RATE_LIMITED/MATCH_LIMIT. */
    void take(String userId, int numbers) throws WireException {
        long now = clock.millis();
        Window[] refused = new Window[1];
        windows.compute(userId, (k, w) -> {
            if (w == null || now - w.start() >= WINDOW_MS) {
                w = new Window(now, 0);
            }
            if (w.count() + numbers > max) {
                refused[0] = w;
                return w;
            }
            return new Window(w.start(), w.count() + numbers);
        });
        if (refused[0] != null) {
            throw WireException.rateLimited("MATCH_LIMIT", "at most " + max + " numbers may be matched per hour",
                    refused[0].start() + WINDOW_MS - now);
        }
    }

    /** Forgets windows that ended. */
    void purge() {
        long now = clock.millis();
        windows.values().removeIf(w -> now - w.start() >= WINDOW_MS);
    }
}
