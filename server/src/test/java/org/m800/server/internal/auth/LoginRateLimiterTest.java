package org.m800.server.internal.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.m800.server.testing.TestClock;
import org.m800.server.internal.wire.WireException;

/** Growing delays per account+address, account and address; reservations (issue 17 items 5, 6). */
public class LoginRateLimiterTest {
    private final TestClock clock = TestClock.fixed(1_000_000);
    private final LoginRateLimiter limiter = new LoginRateLimiter(clock);

    private void failFrom(String user, String address) throws WireException {
        limiter.reserve("c", user, address).failed();
    }

    private long refusedFor(String user, String address, String reason) {
        try {
            limiter.reserve("c", user, address).succeeded();
        } catch (WireException e) {
            assertEquals(reason, e.toJson().path("reason").asText());
            return e.toJson().path("retryAfterMs").asLong();
        }
        fail("expected " + reason);
        return 0;
    }

    @Test
    public void delaysDoubleForTheAttackersAddressWhileTheUsersOwnAddressLogsIn() throws Exception {
        for (int i = 0; i < 5; i++) {
            failFrom("alice", "10.0.0.66");
        }
        assertEquals(1_000, refusedFor("alice", "10.0.0.66", "LOGIN_ATTEMPTS"));
        clock.advanceMillis(1_000);
        failFrom("alice", "10.0.0.66");
        assertEquals(2_000, refusedFor("alice", "10.0.0.66", "LOGIN_ATTEMPTS"));
        clock.advanceMillis(2_000);
        failFrom("alice", "10.0.0.66");
        assertEquals(4_000, refusedFor("alice", "10.0.0.66", "LOGIN_ATTEMPTS"));
        // alice, from her own address, is not slowed
        limiter.reserve("c", "alice", "10.0.0.1").succeeded();
    }

    @Test
    public void guessesFromManyAddressesSlowTheAccountForAMinuteAtMost() throws Exception {
        for (int i = 0; i < 40; i++) {
            failFrom("alice", "10.1.0." + i);
            if (i < 39 && i + 1 >= 20) {
                clock.advanceMillis(LoginRateLimiter.delayMs(1_000, 60_000, i + 1 - 20)); // wait as told
            }
        }
        long wait = refusedFor("alice", "10.0.0.1", "LOGIN_ATTEMPTS");
        assertTrue("the account's delay is capped at 60 s, was " + wait, wait <= 60_000);
        clock.advanceMillis(wait);
        limiter.reserve("c", "alice", "10.0.0.1").succeeded();
    }

    @Test
    public void oneAddressTryingManyAccountsIsSlowedNotTheApplication() throws Exception {
        for (int i = 0; i < 50; i++) {
            failFrom("junk" + i, "10.0.0.66");
        }
        assertTrue(refusedFor("someone", "10.0.0.66", "ADDRESS_LOGIN_ATTEMPTS") > 0);
        // every other user of the application logs in
        limiter.reserve("c", "alice", "10.0.0.1").succeeded();
        limiter.reserve("c", "bob", "10.0.0.2").succeeded();
    }

    @Test
    public void parallelAttemptsAreReservedSoNoMoreThanTheFreeOnesPass() throws Exception {
        List<LoginRateLimiter.Attempt> passed = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            try {
                passed.add(limiter.reserve("c", "alice", "10.0.0.66")); // none has ended yet: all in parallel
            } catch (WireException e) {
                refused++;
            }
        }
        assertEquals(5, passed.size());
        assertEquals(295, refused);
        passed.forEach(LoginRateLimiter.Attempt::failed);
        refusedFor("alice", "10.0.0.66", "LOGIN_ATTEMPTS");
    }

    @Test
    public void failuresAreForgottenAfterTheWindowAndPurged() throws Exception {
        for (int i = 0; i < 5; i++) {
            failFrom("alice", "10.0.0.66");
        }
        clock.advanceMillis(15 * 60_000 + 1);
        limiter.purge();
        assertEquals(0, limiter.size());
        limiter.reserve("c", "alice", "10.0.0.66").succeeded();
    }

    @Test
    public void delaysNeverOverflow() {
        assertEquals(60_000, LoginRateLimiter.delayMs(1_000, 60_000, 1_000));
        assertEquals(8_000, LoginRateLimiter.delayMs(1_000, 60_000, 3));
    }
}
