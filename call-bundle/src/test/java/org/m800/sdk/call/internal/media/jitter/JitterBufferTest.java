package org.m800.sdk.call.internal.media.jitter;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * The jitter buffer's decisions, step by step, with a simulated clock. An 8 kHz RTP clock: 20 ms are 160
 * samples; packet {@code n} of {@code ms} milliseconds has the timestamp {@code n * 8 * ms}.
 */
public class JitterBufferTest {

    private static final int FRAME = 160;

    private static byte[] p(int n) {
        return new byte[] {(byte) n};
    }

    private static JitterBuffer buffer(int minMs, int maxMs) {
        JitterBuffer buffer = new JitterBuffer(minMs, maxMs);
        buffer.clockRate(8000);
        return buffer;
    }

    /** Packet {@code seq} of 20 ms, timestamp {@code seq * 160}. */
    private static void put20(JitterBuffer buffer, long seq, long arrivalMs, byte[] payload) {
        buffer.put(seq, seq * FRAME, arrivalMs, payload, FRAME);
    }

    @Test
    public void reorderedPacketsPlayInOrderAndAMissingOneIsConcealed() {
        JitterBuffer buffer = buffer(40, 300);
        assertSame(JitterBuffer.SILENCE, buffer.poll(FRAME));
        assertEquals(FRAME, buffer.duration());
        put20(buffer, 101, 20, p(1));
        put20(buffer, 100, 22, p(0));
        put20(buffer, 103, 60, p(3)); // 102 is lost
        put20(buffer, 104, 80, p(4));
        assertArrayEquals(p(0), buffer.poll(FRAME));
        assertArrayEquals(p(1), buffer.poll(FRAME));
        assertSame(JitterBuffer.LOST, buffer.poll(FRAME));
        assertEquals("the hole in the timestamps: one packet of 20 ms", FRAME, buffer.duration());
        assertArrayEquals("the next packet, for in-band FEC", p(3), buffer.recoverFrom());
        assertArrayEquals(p(3), buffer.poll(FRAME));
        assertNull(buffer.recoverFrom());
        assertArrayEquals(p(4), buffer.poll(FRAME));
        assertEquals(1, buffer.concealed());
        put20(buffer, 102, 200, p(2)); // far too late
        assertEquals(1, buffer.late());
    }

    @Test
    public void anUnderrunConcealsWithoutSkippingAndALongOneStartsOver() {
        JitterBuffer buffer = buffer(40, 300);
        put20(buffer, 0, 0, p(0));
        put20(buffer, 1, 20, p(1));
        assertArrayEquals(p(0), buffer.poll(FRAME));
        assertArrayEquals(p(1), buffer.poll(FRAME));
        assertSame(JitterBuffer.LOST, buffer.poll(FRAME)); // 2 is late, not lost: wait for it
        put20(buffer, 2, 75, p(2));
        assertArrayEquals(p(2), buffer.poll(FRAME));
        assertSame("what the reader needs, rounded up to 2.5 ms", JitterBuffer.LOST, buffer.poll(35));
        assertEquals(40, buffer.duration());
        for (int i = 0; i < 9; i++) {
            assertSame(JitterBuffer.LOST, buffer.poll(FRAME));
        }
        assertSame("after 200 ms of nothing the buffer waits for the stream again", JitterBuffer.SILENCE,
                buffer.poll(FRAME));
        put20(buffer, 500, 10_000, p(5));
        put20(buffer, 501, 10_020, p(6));
        assertSame("the target (55 ms: 20 ms and the late packet's 35) is not buffered yet", JitterBuffer.SILENCE,
                buffer.poll(FRAME));
        put20(buffer, 502, 10_040, p(7));
        assertArrayEquals(p(5), buffer.poll(FRAME));
    }

    @Test
    public void theTargetDelayFollowsTheDelayVariation() {
        JitterBuffer buffer = buffer(40, 300);
        for (int i = 0; i < 50; i++) {
            put20(buffer, i, i * 20L + (i % 2 == 0 ? 0 : 90), p(i));
        }
        assertTrue("target " + buffer.targetDelayMs(), buffer.targetDelayMs() >= 100 && buffer.targetDelayMs() <= 140);
        JitterBuffer steady = buffer(40, 300);
        for (int i = 0; i < 50; i++) {
            put20(steady, i, i * 20L + 1, p(i));
        }
        assertEquals(40, steady.targetDelayMs());
    }

    @Test
    public void aDelayGrownByABurstShrinksBackToTheTarget() {
        JitterBuffer buffer = buffer(20, 300);
        byte[] audio = {1};
        // five packets at once (a sender catching up after a stall), then one every 20 ms for two seconds: the
        // delay variation of the burst leaves the window after a second, and the surplus is dropped
        long seq = 0;
        for (; seq < 5; seq++) {
            put20(buffer, seq, 0, audio);
        }
        for (int tick = 0; tick < 100; tick++) {
            put20(buffer, seq, seq * 20, audio);
            seq++;
            buffer.poll(FRAME);
        }
        assertEquals(20, buffer.targetDelayMs());
        assertTrue("waiting " + buffer.waitingMs() + " ms", buffer.waitingMs() <= 20);
    }

    @Test
    public void sixtyMillisecondPacketsStartAtTheFirstAndLastThreeTicks() {
        JitterBuffer buffer = buffer(20, 300);
        buffer.put(0, 0, 0, p(0), 480);
        assertEquals("one packet of delay", 60, buffer.targetDelayMs());
        assertTrue(buffer.readyToStart());
        assertArrayEquals(p(0), buffer.poll(FRAME));
        assertEquals("the whole packet: the reader keeps what it does not play now", 480, buffer.duration());
        buffer.put(2, 960, 120, p(2), 480); // 1 is lost
        assertSame(JitterBuffer.LOST, buffer.poll(FRAME));
        assertEquals("a lost packet lasts as long as the hole in the timestamps", 480, buffer.duration());
        assertArrayEquals(p(2), buffer.recoverFrom());
        assertArrayEquals(p(2), buffer.poll(FRAME));
        assertEquals(3, buffer.concealed());
    }

    @Test
    public void tenMillisecondPacketsNeedTheLeastDelayBufferedBeforeTheyStart() {
        JitterBuffer buffer = buffer(20, 300);
        buffer.put(0, 0, 0, p(0), 80);
        assertTrue("10 ms buffered of a 20 ms least delay", !buffer.readyToStart());
        buffer.put(1, 80, 10, p(1), 80);
        assertTrue(buffer.readyToStart());
        assertArrayEquals(p(0), buffer.poll(FRAME));
        assertEquals(80, buffer.duration());
        assertArrayEquals("the reader asks again for the 80 samples it still needs", p(1), buffer.poll(80));
        assertEquals(80, buffer.duration());
    }

    @Test
    public void aHoleSpanningSeveralPacketsIsSharedOutAndAPacketTimeChangeIsFollowed() {
        JitterBuffer buffer = buffer(20, 300);
        buffer.put(0, 0, 0, p(0), 240); // 30 ms
        assertArrayEquals(p(0), buffer.poll(FRAME));
        // 1 and 2 lost; 3 comes at timestamp 240 + 2 * 240
        buffer.put(3, 720, 90, p(3), 240);
        assertSame(JitterBuffer.LOST, buffer.poll(FRAME));
        assertEquals(240, buffer.duration());
        assertNull("not the packet right after this lost one", buffer.recoverFrom());
        assertSame(JitterBuffer.LOST, buffer.poll(FRAME));
        assertEquals(240, buffer.duration());
        assertArrayEquals(p(3), buffer.recoverFrom());
        assertArrayEquals(p(3), buffer.poll(FRAME));
        // the peer changes to 10 ms packets
        buffer.put(4, 960, 120, p(4), 80);
        buffer.put(5, 1040, 130, p(5), 80);
        assertArrayEquals(p(4), buffer.poll(FRAME));
        assertEquals(80, buffer.duration());
        assertArrayEquals(p(5), buffer.poll(80));
    }

    @Test
    public void aPacketWithoutAudioPlaysAsSilenceForAsLongAsTheLastAudioPacket() {
        JitterBuffer buffer = buffer(20, 300);
        buffer.put(0, 0, 0, p(0), 320); // 40 ms
        buffer.put(1, -1, 40, JitterBuffer.SILENCE, 0); // a telephone-event
        buffer.put(2, 640, 80, p(2), 320);
        assertArrayEquals(p(0), buffer.poll(FRAME));
        assertSame(JitterBuffer.SILENCE, buffer.poll(FRAME));
        assertEquals(320, buffer.duration());
        assertArrayEquals(p(2), buffer.poll(FRAME));
        assertEquals(0, buffer.concealed());
    }
}
