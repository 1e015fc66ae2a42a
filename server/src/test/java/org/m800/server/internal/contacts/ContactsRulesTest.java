package org.m800.server.internal.contacts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.m800.server.testing.TestClock;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/** Unit rules of the contacts feature that need no server: the block list and the matching allowance. */
public class ContactsRulesTest {

    @Test
    public void theBlockListIsDirectional() {
        BlockList blocks = new BlockList();
        blocks.add("alice", "bob");
        assertTrue("alice does not receive from bob", blocks.blocks("alice", "bob"));
        assertFalse("bob still receives from alice", blocks.blocks("bob", "alice"));
        assertFalse(blocks.blocks("alice", "carol"));
        blocks.remove("alice", "bob");
        assertFalse(blocks.blocks("alice", "bob"));
        blocks.remove("alice", "bob");
        assertFalse(blocks.blocks("nobody", "bob"));
    }

    @Test
    public void matchingIsLimitedPerUserAndWindowAndARefusalCountsNothing() throws Exception {
        TestClock clock = TestClock.fixed(1_000_000);
        MatchLimiter limiter = new MatchLimiter(clock, 10);
        limiter.take("alice", 6);
        limiter.take("bob", 10);
        try {
            limiter.take("alice", 5);
            fail("over the allowance");
        } catch (WireException e) {
            assertEquals(WireCode.RATE_LIMITED, e.code());
            assertEquals("MATCH_LIMIT", e.reason());
            assertEquals(MatchLimiter.WINDOW_MS, e.toJson().path("retryAfterMs").asLong());
        }
        limiter.take("alice", 4);
        clock.advanceMillis(MatchLimiter.WINDOW_MS);
        limiter.purge();
        limiter.take("alice", 10);
    }

    @Test
    public void onlyE164IsAcceptedOnTheWire() {
        assertTrue(ContactsService.E164.matcher("+447400123456").matches());
        assertTrue(ContactsService.E164.matcher("+1415555013").matches());
        for (String bad : new String[] {"447400123456", "+44 7400 123456", "+0447400123456", "+12345", "+1234567890123456",
            "07400123456", "+44-7400"}) {
            assertFalse(bad, ContactsService.E164.matcher(bad).matches());
        }
    }
}
