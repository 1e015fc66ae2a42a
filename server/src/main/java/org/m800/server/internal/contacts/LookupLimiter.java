package org.m800.server.internal.contacts;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import org.m800.server.internal.wire.WireException;

/**
 * Limits how many user look-ups ({@code user.find}, {@code user.search}) one user may make per
 * minute, so that neither can be used to enumerate a carrier's users. Counts only, in memory, per
 * user. Thread-safe.
 */
final class LookupLimiter {
    static final int MAX_PER_WINDOW = 30;
    static final long WINDOW_MS = 60_000;

    private record Window(long start, int count) {
    }

    private final Clock clock;
    private final int max;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    LookupLimiter(Clock clock, int max) {
        this.clock = clock;
        this.max = max;
    }

    /** Counts one look-up of the user, or refuses it with RATE_LIMITED/LOOKUP_LIMIT. */
    void take(String userId) throws WireException {
        long now = clock.millis();
        Window[] refused = new Window[1];
        windows.compute(userId, (k, old) -> {
            Window w = old == null || now - old.start() >= WINDOW_MS ? new Window(now, 0) : old;
            if (w.count() >= max) {
                refused[0] = w;
                return w;
            }
            return new Window(w.start(), w.count() + 1);
        });
        if (refused[0] != null) {
            throw WireException.rateLimited("LOOKUP_LIMIT", "at most " + max + " user look-ups per minute",
                    refused[0].start() + WINDOW_MS - now);
        }
    }

    /** Forgets windows that ended. */
    void purge() {
        long now = clock.millis();
        windows.values().removeIf(w -> now - w.start() >= WINDOW_MS);
    }
}
