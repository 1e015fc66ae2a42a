package org.m800.server.internal.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireException;

/**
 * Sliding-window limits on log-in attempts: failures per (carrier, username) and attempts per
 * application. In memory (a restart forgets them). Thread-safe.
 */
public final class LoginRateLimiter {
    private final Clock clock;
    private final Map<String, Deque<Long>> failuresByAccount = new HashMap<>();
    private final Map<String, Deque<Long>> attemptsByApplication = new HashMap<>();

    public LoginRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Counts an attempt of the application and refuses it if a limit is reached.
     *
     * @throws WireException RATE_LIMITED with the reason and the time to wait
     */
    public synchronized void checkAttempt(String applicationKey, String carrier, String username) throws WireException {
        long now = clock.millis();
        Deque<Long> failures = window(failuresByAccount, carrier + "\n" + username, now, Limits.LOGIN_FAILURE_WINDOW);
        if (failures.size() >= Limits.LOGIN_FAILURES_PER_ACCOUNT) {
            throw WireException.rateLimited("LOGIN_ATTEMPTS", "too many failed log-ins for this account",
                    failures.peekFirst() + Limits.LOGIN_FAILURE_WINDOW.toMillis() - now);
        }
        Deque<Long> attempts = window(attemptsByApplication, applicationKey, now, Limits.LOGIN_APPLICATION_WINDOW);
        if (attempts.size() >= Limits.LOGIN_ATTEMPTS_PER_APPLICATION) {
            throw WireException.rateLimited("APPLICATION_LOGIN_ATTEMPTS", "too many log-ins for this application",
                    attempts.peekFirst() + Limits.LOGIN_APPLICATION_WINDOW.toMillis() - now);
        }
        attempts.addLast(now);
    }

    public synchronized void recordFailure(String carrier, String username) {
        long now = clock.millis();
        window(failuresByAccount, carrier + "\n" + username, now, Limits.LOGIN_FAILURE_WINDOW).addLast(now);
    }

    public synchronized void recordSuccess(String carrier, String username) {
        failuresByAccount.remove(carrier + "\n" + username);
    }

    private static Deque<Long> window(Map<String, Deque<Long>> map, String key, long now, Duration length) {
        return prune(map.computeIfAbsent(key, k -> new ArrayDeque<>()), now, length);
    }

    private static Deque<Long> prune(Deque<Long> d, long now, Duration length) {
        while (!d.isEmpty() && d.peekFirst() <= now - length.toMillis()) {
            d.removeFirst();
        }
        return d;
    }

    /** Drops empty windows so the maps do not grow without bound. */
    public synchronized void purge() {
        long now = clock.millis();
        failuresByAccount.values().removeIf(d -> prune(d, now, Limits.LOGIN_FAILURE_WINDOW).isEmpty());
        attemptsByApplication.values().removeIf(d -> prune(d, now, Limits.LOGIN_APPLICATION_WINDOW).isEmpty());
    }
}
