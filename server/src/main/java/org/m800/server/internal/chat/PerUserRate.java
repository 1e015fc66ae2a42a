package org.m800.server.internal.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.m800.server.internal.wire.WireException;

/**
 * At most {@code max} actions per user in a sliding window (groups created per hour, issue 17 item 9).
 * In memory: a restart forgets it. A user's entry goes once its window is empty, and every 1,024th call
 * sweeps the whole map, so memory is bounded by the users active within one window. Thread-safe.
 */
final class PerUserRate {
    private final Clock clock;
    private final int max;
    private final long windowMs;
    private final String reason;
    private final String what;
    private final Map<String, ArrayDeque<Long>> byUser = new HashMap<>();
    private int calls;

    /**
     * @param reason the RATE_LIMITED reason
     * @param what what is limited, for the message ("groups created")
     */
    PerUserRate(Clock clock, int max, Duration window, String reason, String what) {
        this.clock = clock;
        this.max = max;
        this.windowMs = window.toMillis();
        this.reason = reason;
        this.what = what;
    }

    /**
     * Counts one action of the user, or refuses it.
     *
     * @throws WireException RATE_LIMITED with the time until the oldest action leaves the window
     */
    synchronized void take(String userId) throws WireException {
        long now = clock.millis();
        if (++calls % 1_024 == 0) {
            sweep(now);
        }
        ArrayDeque<Long> times = byUser.computeIfAbsent(userId, k -> new ArrayDeque<>());
        prune(times, now);
        if (times.size() >= max) {
            throw WireException.rateLimited(reason, "too many " + what + " (" + max + " per "
                    + Duration.ofMillis(windowMs).toMinutes() + " min)", times.peekFirst() + windowMs - now);
        }
        times.addLast(now);
    }

    /** Gives back an action that did not happen after all (it failed). */
    synchronized void giveBack(String userId) {
        ArrayDeque<Long> times = byUser.get(userId);
        if (times != null) {
            times.pollLast();
            if (times.isEmpty()) {
                byUser.remove(userId);
            }
        }
    }

    private void prune(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
            times.removeFirst();
        }
    }

    private void sweep(long now) {
        for (Iterator<ArrayDeque<Long>> it = byUser.values().iterator(); it.hasNext();) {
            ArrayDeque<Long> times = it.next();
            prune(times, now);
            if (times.isEmpty()) {
                it.remove();
            }
        }
    }

    /** @return how many users are tracked (tests) */
    synchronized int users() {
        return byUser.size();
    }
}
