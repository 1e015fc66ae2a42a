package org.m800.sdk.call.internal.media.rtp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** RTCP compound packets and the receiver statistics of RFC 3550. */
public class RtcpTest {

    @Test
    public void aSenderReportWithABlockReadsBack() {
        byte[] buf = new byte[256];
        Rtcp.SenderInfo sender = new Rtcp.SenderInfo(Rtcp.ntp(1_700_000_000_123L), 123456, 50, 8000);
        Rtcp.ReportBlock block = new Rtcp.ReportBlock(77, 25, -3, 70000, 40, 0x12345678L, 0x10000);
        int len = Rtcp.write(buf, 42, sender, block, "m800-test", true);
        assertEquals(0, len % 4);
        Rtcp.Received received = Rtcp.read(buf, len, 77);
        assertEquals(42, received.ssrc());
        assertEquals(sender, received.sender());
        assertEquals(block, received.block());
        assertTrue(received.bye());
        assertNull("a block about someone else is not ours", Rtcp.read(buf, len, 78).block());
        assertNull("truncated", Rtcp.read(buf, len - 4, 77));
    }

    @Test
    public void lossAndJitterAsRfc3550Counts() {
        ReceptionStats stats = new ReceptionStats(8000);
        long t = 0;
        for (int seq = 65530; seq < 65536 + 10; seq++) {
            if (seq % 5 == 1) {
                continue; // every fifth lost
            }
            stats.packet(seq & 0xFFFF, (seq - 65530) * 160L, t + (seq - 65530) * 20_000_000L);
        }
        assertEquals(16, stats.expected());
        assertEquals(13, stats.received());
        assertEquals(3, stats.cumulativeLost());
        assertEquals(65536 + 9, stats.extendedHighest());
        assertEquals(3 * 256 / 16, stats.takeFractionLost());
        assertEquals(0, stats.takeFractionLost());
        assertEquals(0, stats.jitterMs(), 0.2);
    }
}
