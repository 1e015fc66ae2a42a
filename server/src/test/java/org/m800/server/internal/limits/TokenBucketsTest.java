package org.m800.server.internal.limits;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.m800.server.testing.TestClock;

/** The token buckets behind the abuse limits: burst, refill, the wait they report, and bounded memory. */
public class TokenBucketsTest {
    private final TestClock clock = TestClock.fixed(1_000_000);

    @Test
    public void aBurstPassesThenTheRate() {
        TokenBuckets b = new TokenBuckets(clock, 10, 3);
        assertEquals(0, b.take("u"));
        assertEquals(0, b.take("u"));
        assertEquals(0, b.take("u"));
        assertEquals("refused: held off for at least the hold time", TokenBuckets.HOLD_MS, b.take("u"));
        assertEquals("another key has its own bucket", 0, b.take("v"));
        clock.advanceMillis(TokenBuckets.HOLD_MS);
        assertEquals("after the hold, what refilled meanwhile passes", 0, b.take("u"));
        clock.advanceMillis(10_000);
        for (int i = 0; i < 3; i++) {
            assertEquals("refilled up to the burst, not beyond", 0, b.take("u"));
        }
        assertTrue(b.take("u") > 0);
    }

    @Test
    public void aSlowRateReportsItsOwnWait() {
        TokenBuckets b = new TokenBuckets(clock, 0.1, 1);
        assertEquals(0, b.take("u"));
        assertEquals("one token per 10 s", 10_000, b.take("u"));
        clock.advanceMillis(10_000);
        assertEquals(0, b.take("u"));
    }

    /**
     * Pipelined requests: a token trickling back between two of them must not let the second pass
     * after the first was refused (the sender's order would break).
     */
    @Test
    public void aRefusedKeyStaysRefusedWhileItsRequestsKeepComing() {
        TokenBuckets b = new TokenBuckets(clock, 1_000, 2);
        assertEquals(0, b.take("u"));
        assertEquals(0, b.take("u"));
        assertTrue(b.take("u") > 0);
        for (int i = 0; i < 50; i++) {
            clock.advanceMillis(20); // 20 tokens' worth each time
            assertTrue("request " + i + " behind the refused one", b.take("u") > 0);
        }
        clock.advanceMillis(TokenBuckets.HOLD_MS);
        assertEquals("a pause of the hold time ends it", 0, b.take("u"));
        assertEquals(0, b.take("u"));
    }

    @Test
    public void aClockSetBackTakesNothingAway() {
        TokenBuckets b = new TokenBuckets(clock, 1, 2);
        b.take("u");
        clock.advanceMillis(-60_000);
        assertEquals(0, b.take("u"));
        assertEquals(TokenBuckets.HOLD_MS, b.take("u"));
    }

    @Test
    public void fullBucketsAreForgotten() {
        TokenBuckets b = new TokenBuckets(clock, 1, 5);
        for (int i = 0; i < 10_000; i++) {
            b.take("user" + i);
        }
        // every bucket is one short of full; a second later they are full and the sweep drops them
        clock.advanceMillis(1_000);
        b.sweep(clock.millis());
        assertEquals(0, b.keys());
        // the sweep also runs by itself as keys come and go
        for (int i = 0; i < 100_000; i++) {
            b.take("other" + i);
            clock.advanceMillis(1);
        }
        assertTrue("keys kept: " + b.keys(), b.keys() < 10_000);
    }

    @Test(expected = IllegalArgumentException.class)
    public void aZeroRateIsRefused() {
        new TokenBuckets(clock, 0, 1);
    }
}
