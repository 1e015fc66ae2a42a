package org.m800.sdk.call.internal.media.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The playout clock's phase, on a simulated clock: each packet arrives {@code slack} ms before the tick that plays it. */
public class PlayoutClockTest {

    private static final long MS = 1_000_000L;

    /** Runs one second of ticks (packets before them); @return how far the clock moved in it, in ms. */
    private static long second(PlayoutClock clock, long[] slackMs, int spreadMs) {
        long before = clock.movedNanos();
        for (int i = 0; i < PlayoutClock.WINDOW; i++) {
            long due = clock.due();
            clock.arrived(due - slackMs[i % slackMs.length] * MS, spreadMs);
            clock.advance(clock.due());
        }
        return (clock.movedNanos() - before) / MS;
    }

    @Test
    public void packetsThatWaitAlmostATickBringTheClockEarlierOnce() {
        PlayoutClock clock = new PlayoutClock();
        clock.start(0);
        assertEquals("19 ms of slack, 4 ms kept", 15, second(clock, new long[] {19}, 0));
        assertEquals("now 4 ms: nothing more to give back", 0, second(clock, new long[] {4}, 0));
    }

    @Test
    public void oneLatePacketInTheSecondKeepsThePhase() {
        PlayoutClock clock = new PlayoutClock();
        clock.start(0);
        long[] slack = new long[PlayoutClock.WINDOW];
        java.util.Arrays.fill(slack, 19);
        slack[30] = 5;
        assertEquals(0, second(clock, slack, 0));
    }

    @Test
    public void theMarginGrowsWithTheDelayVariation() {
        PlayoutClock clock = new PlayoutClock();
        clock.start(0);
        assertEquals("4 ms and half of 20 ms kept", 5, second(clock, new long[] {19}, 20));
        assertEquals("a jittery network: nothing moves", 0, second(clock, new long[] {19}, 30));
    }

    @Test
    public void anIdleBufferStartsNowButNeverLater() {
        PlayoutClock clock = new PlayoutClock();
        clock.start(100 * MS);
        assertTrue(clock.startNow(90 * MS));
        assertEquals(90 * MS, clock.due());
        assertFalse("the tick is already due", clock.startNow(95 * MS));
        assertEquals(90 * MS, clock.due());
    }

    @Test
    public void aStallIsSkippedNotCaughtUp() {
        PlayoutClock clock = new PlayoutClock();
        clock.start(0);
        clock.advance(1_000 * MS); // a second late: 50 periods behind
        assertEquals(1_020 * MS, clock.due());
        clock.advance(1_025 * MS); // a little late: caught up tick by tick
        assertEquals(1_040 * MS, clock.due());
    }
}
