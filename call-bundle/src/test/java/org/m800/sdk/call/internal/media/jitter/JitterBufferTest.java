package org.m800.sdk.call.internal.media.jitter;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The jitter buffer's decisions, step by step, with a simulated clock. */
public class JitterBufferTest {

    private static byte[] p(int n) {
        return new byte[] {(byte) n};
    }

    @Test
    public void reorderedPacketsPlayInOrderAndAMissingOneIsConcealed() {
        JitterBuffer buffer = new JitterBuffer(40, 300);
        assertSame(JitterBuffer.SILENCE, buffer.poll());
        buffer.put(101, 20, p(1));
        buffer.put(100, 22, p(0));
        buffer.put(103, 60, p(3)); // 102 is lost
        buffer.put(104, 80, p(4));
        assertArrayEquals(p(0), buffer.poll());
        assertArrayEquals(p(1), buffer.poll());
        assertSame(JitterBuffer.LOST, buffer.poll());
        assertArrayEquals("the next packet, for in-band FEC", p(3), buffer.recoverFrom());
        assertArrayEquals(p(3), buffer.poll());
        assertSame(null, buffer.recoverFrom());
        assertArrayEquals(p(4), buffer.poll());
        assertEquals(1, buffer.concealed());
        buffer.put(102, 200, p(2)); // far too late
        assertEquals(1, buffer.late());
    }

    @Test
    public void anUnderrunConcealsWithoutSkippingAndALongOneStartsOver() {
        JitterBuffer buffer = new JitterBuffer(40, 300);
        buffer.put(0, 0, p(0));
        buffer.put(1, 20, p(1));
        assertArrayEquals(p(0), buffer.poll());
        assertArrayEquals(p(1), buffer.poll());
        assertSame(JitterBuffer.LOST, buffer.poll()); // 2 is late, not lost: wait for it
        buffer.put(2, 75, p(2));
        assertArrayEquals(p(2), buffer.poll());
        for (int i = 0; i < 10; i++) {
            assertSame(JitterBuffer.LOST, buffer.poll());
        }
        assertSame("after 200 ms of nothing the buffer waits for the stream again", JitterBuffer.SILENCE, buffer.poll());
        buffer.put(500, 10_000, p(5));
        buffer.put(501, 10_020, p(6));
        assertSame("the target (60 ms after the late packet) is not buffered yet", JitterBuffer.SILENCE, buffer.poll());
        buffer.put(502, 10_040, p(7));
        assertArrayEquals(p(5), buffer.poll());
    }

    @Test
    public void theTargetDelayFollowsTheDelayVariation() {
        JitterBuffer buffer = new JitterBuffer(40, 300);
        for (int i = 0; i < 50; i++) {
            buffer.put(i, i * 20L + (i % 2 == 0 ? 0 : 90), p(i));
        }
        assertTrue("target " + buffer.targetDelayMs(), buffer.targetDelayMs() >= 100 && buffer.targetDelayMs() <= 140);
        JitterBuffer steady = new JitterBuffer(40, 300);
        for (int i = 0; i < 50; i++) {
            steady.put(i, i * 20L + 1, p(i));
        }
        assertEquals(40, steady.targetDelayMs());
    }

    @Test
    public void aDelayGrownByABurstShrinksBackToTheTarget() {
        JitterBuffer buffer = new JitterBuffer(20, 300);
        byte[] audio = {1};
        // five packets at once (a sender catching up after a stall), then one every 20 ms for two seconds: the
        // delay variation of the burst leaves the window after a second, and the surplus is dropped
        long seq = 0;
        for (; seq < 5; seq++) {
            buffer.put(seq, 0, audio);
        }
        for (int tick = 0; tick < 100; tick++) {
            buffer.put(seq, seq * 20, audio);
            seq++;
            buffer.poll();
        }
        assertEquals(20, buffer.targetDelayMs());
        assertTrue("frames waiting " + buffer.waiting(), buffer.waiting() <= 1);
    }
}
