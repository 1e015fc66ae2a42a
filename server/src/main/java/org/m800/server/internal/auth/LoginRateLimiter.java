package org.m800.server.internal.auth;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireException;

/**
 * Limits on log-in guessing that slow an attacker without locking the legitimate user out (issue 17
 * items 5 and 6). Failures are counted under three keys, each with a number of free failures and
 * then a delay that doubles with every further failure, up to a cap:
 * <ul>
 * <li>the account from one source address: 5 free, then 1 s, 2 s, 4 s... up to 15 min: the attacker's
 * address is slowed, the user's own address is not;</li>
 * <li>the account from anywhere: 20 free, then 1 s doubling up to 60 s: slows guessing spread over
 * many addresses, but never keeps the user out for more than a minute;</li>
 * <li>the source address over every account: 50 free, then 1 s doubling up to 15 min: stops one
 * address from trying many accounts (the application key ships in every client, so a limit per
 * application would let anyone lock every user of the application out).</li>
 * </ul>
 * An attempt is <em>reserved</em> atomically before the password is hashed and counts as a failure
 * until it is known to have succeeded, so parallel guesses cannot pass a limit together. A key's
 * failures are forgotten 15 minutes after its last failure; a success forgets the failures of the
 * account from that address. In memory (a restart forgets them); {@link #purge()} drops forgotten keys.
 * Thread-safe.
 */
public final class LoginRateLimiter {
    /** One limit: free failures, first delay, cap. */
    private record Rule(String reason, String what, int free, long firstDelayMs, long maxDelayMs) {
    }

    private static final Rule ACCOUNT_FROM_ADDRESS = new Rule("LOGIN_ATTEMPTS",
            "too many failed log-ins for this account", Limits.LOGIN_FREE_FAILURES_PER_ACCOUNT_AND_ADDRESS, 1_000,
            15 * 60_000);
    private static final Rule ACCOUNT = new Rule("LOGIN_ATTEMPTS", "too many failed log-ins for this account",
            Limits.LOGIN_FREE_FAILURES_PER_ACCOUNT, 1_000, 60_000);
    private static final Rule ADDRESS = new Rule("ADDRESS_LOGIN_ATTEMPTS",
            "too many failed log-ins from this address", Limits.LOGIN_FREE_FAILURES_PER_ADDRESS, 1_000, 15 * 60_000);

    /** Failures (and attempts in progress) of one key. */
    private static final class Count {
        int failures;
        int pending;
        long lastFailureAt;
    }

    private final Clock clock;
    private final Map<String, Count> accountFromAddress = new HashMap<>();
    private final Map<String, Count> account = new HashMap<>();
    private final Map<String, Count> address = new HashMap<>();

    public LoginRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** An attempt in progress; exactly one of its methods is called once the password is checked. */
    public final class Attempt {
        private final String[] keys;
        private boolean ended;

        private Attempt(String[] keys) {
            this.keys = keys;
        }

        /** The password was right: the account's failures from this address are forgotten. */
        public void succeeded() {
            synchronized (LoginRateLimiter.this) {
                if (end()) {
                    accountFromAddress.remove(keys[0]);
                }
            }
        }

        /** The password was wrong (or the account does not exist): a failure under every key. */
        public void failed() {
            synchronized (LoginRateLimiter.this) {
                if (end()) {
                    long now = clock.millis();
                    fail(accountFromAddress, keys[0], now);
                    fail(account, keys[1], now);
                    fail(address, keys[2], now);
                }
            }
        }

        private boolean end() {
            if (ended) {
                return false;
            }
            ended = true;
            release(accountFromAddress, keys[0]);
            release(account, keys[1]);
            release(address, keys[2]);
            return true;
        }
    }

    /**
     * Reserves an attempt, or refuses it while a limit's delay runs.
     *
     * @param sourceAddress the client's address; null counts as one unknown address
     * @return the attempt, to be ended with {@link Attempt#succeeded()} or {@link Attempt#failed()}
     * @throws WireException RATE_LIMITED with the reason and the time to wait
     */
    public synchronized Attempt reserve(String carrier, String username, String sourceAddress) throws WireException {
        String from = sourceAddress == null ? "?" : sourceAddress;
        String[] keys = {carrier + "\n" + username + "\n" + from, carrier + "\n" + username, from};
        long now = clock.millis();
        check(accountFromAddress, keys[0], ACCOUNT_FROM_ADDRESS, now);
        check(account, keys[1], ACCOUNT, now);
        check(address, keys[2], ADDRESS, now);
        accountFromAddress.computeIfAbsent(keys[0], k -> new Count()).pending++;
        account.computeIfAbsent(keys[1], k -> new Count()).pending++;
        address.computeIfAbsent(keys[2], k -> new Count()).pending++;
        return new Attempt(keys);
    }

    private void check(Map<String, Count> map, String key, Rule rule, long now) throws WireException {
        Count c = map.get(key);
        if (c == null) {
            return;
        }
        forgetIfOld(c, now);
        int used = c.failures + c.pending;
        if (used < rule.free()) {
            return;
        }
        if (c.pending > 0) {
            // beyond the free failures, one guess at a time: the others wait for its outcome
            throw WireException.rateLimited(rule.reason(), rule.what(), rule.firstDelayMs());
        }
        long wait = c.lastFailureAt + delay(rule, c.failures - rule.free()) - now;
        if (wait > 0) {
            throw WireException.rateLimited(rule.reason(), rule.what(), wait);
        }
    }

    /** @return the delay after the n-th failure beyond the free ones (n from 0) */
    static long delayMs(long firstDelayMs, long maxDelayMs, int n) {
        if (n >= Long.numberOfLeadingZeros(firstDelayMs) - 1) {
            return maxDelayMs; // the doubling would overflow
        }
        return Math.min(maxDelayMs, firstDelayMs << n);
    }

    private static long delay(Rule rule, int n) {
        return delayMs(rule.firstDelayMs(), rule.maxDelayMs(), n);
    }

    private static void forgetIfOld(Count c, long now) {
        if (c.pending == 0 && c.lastFailureAt < now - Limits.LOGIN_FAILURE_WINDOW.toMillis()) {
            c.failures = 0;
        }
    }

    private static void fail(Map<String, Count> map, String key, long now) {
        Count c = map.computeIfAbsent(key, k -> new Count());
        if (c.lastFailureAt < now - Limits.LOGIN_FAILURE_WINDOW.toMillis()) {
            c.failures = 0;
        }
        c.failures++;
        c.lastFailureAt = now;
    }

    private static void release(Map<String, Count> map, String key) {
        Count c = map.get(key);
        if (c != null) {
            c.pending--;
            if (c.pending == 0 && c.failures == 0) {
                map.remove(key);
            }
        }
    }

    /** Drops the keys whose failures are forgotten, so the maps do not grow without bound. */
    public synchronized void purge() {
        long cutoff = clock.millis() - Limits.LOGIN_FAILURE_WINDOW.toMillis();
        for (Map<String, Count> map : java.util.List.of(accountFromAddress, account, address)) {
            map.values().removeIf(c -> c.pending == 0 && c.lastFailureAt < cutoff);
        }
    }

    /** @return how many keys are tracked (tests) */
    synchronized int size() {
        return accountFromAddress.size() + account.size() + address.size();
    }
}
