package org.m800.server.internal.limits;

import java.time.Clock;
import org.m800.server.ApplicationRegistration;
import org.m800.server.internal.wire.WireException;

/**
 * Sign-up attempts per source address and per application (issue 17 item 9: mass sign-ups also
 * defeat the per-user limit of address-book matching). Counted before the account is written, whether
 * or not it then succeeds, so guessing taken usernames costs attempts too. In memory: a restart
 * forgets it. Thread-safe.
 */
public final class SignUpLimiter {
    private final TokenBuckets byAddress;
    private final TokenBuckets byApplication;

    public SignUpLimiter(Clock clock, RateLimits limits) {
        this.byAddress = new TokenBuckets(clock, limits.signUpsPerAddressPerHour() / 3_600.0,
                limits.signUpsPerAddressPerHour());
        this.byApplication = new TokenBuckets(clock, limits.signUpsPerApplicationPerHour() / 3_600.0,
                limits.signUpsPerApplicationPerHour());
    }

    /**
     * Counts one sign-up attempt, or refuses it.
     *
     * @param address the peer's IP address; null (unknown) counts against the application only
     * @throws WireException RATE_LIMITED {@code SIGNUP_ADDRESS_LIMIT} or {@code SIGNUP_APPLICATION_LIMIT}
     *         with {@code retryAfterMs}
     */
    public void check(ApplicationRegistration application, String address) throws WireException {
        if (address != null) {
            long wait = byAddress.take(address);
            if (wait > 0) {
                throw WireException.rateLimited("SIGNUP_ADDRESS_LIMIT",
                        "too many sign-ups from this address; try again in " + (wait + 999) / 1_000 + " s", wait);
            }
        }
        long wait = byApplication.take(application.applicationKey());
        if (wait > 0) {
            throw WireException.rateLimited("SIGNUP_APPLICATION_LIMIT",
                    "too many sign-ups of this application; try again in " + (wait + 999) / 1_000 + " s", wait);
        }
    }
}
