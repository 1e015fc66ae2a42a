package org.m800.sdk.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.Test;

/** Message ids: valid on the wire, unique, and sorted by creation time (the server's index relies on it). */
public class MessageIdTest {

    /** docs/protocol.md, chat.send: the messageId a client makes. */
    private static final Pattern WIRE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Test
    public void idsAreValidAndUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = MessageIds.at(System.currentTimeMillis());
            assertTrue(id, WIRE.matcher(id).matches());
            assertTrue("repeated " + id, seen.add(id));
        }
    }

    @Test
    public void idsOfLaterMillisecondsSortAfterEarlierOnes() {
        long now = System.currentTimeMillis();
        String previous = MessageIds.at(now);
        // one ms apart, and across a carry of the hex digits
        long[] later = {now + 1, now + 2, now + 15, now + 16, now + 255, now + 256, now + 86_400_000L};
        for (long t : later) {
            String next = MessageIds.at(t);
            assertTrue(previous + " then " + next, previous.compareTo(next) < 0);
            assertEquals(33, next.length());
            previous = next;
        }
    }
}
