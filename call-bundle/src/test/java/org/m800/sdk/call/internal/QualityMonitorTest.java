package org.m800.sdk.call.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.Test;
import org.m800.sdk.call.QualityMetric;
import org.m800.sdk.call.QualityWarning;
import org.m800.sdk.call.internal.media.MediaStats;

/** The thresholds of {@link QualityMetric}, their hysteresis, and the loss window. */
public class QualityMonitorTest {

    private static MediaStats stats(long received, long lost, double fractionLost, double jitterMs, double rttMs) {
        return new MediaStats(received, received, fractionLost, lost, jitterMs, rttMs);
    }

    @Test
    public void roundTripRaisesAboveItsThresholdAndClearsOnlyAtTheLowerOne() {
        QualityMonitor m = new QualityMonitor();
        assertEquals(List.of(), m.update(stats(100, 0, 0, 5, -1)));
        assertEquals(List.of(), m.update(stats(150, 0, 0, 5, 500)));
        assertEquals(List.of(new QualityWarning(QualityMetric.ROUND_TRIP_TIME, true, 501)),
                m.update(stats(200, 0, 0, 5, 501)));
        assertEquals(Set.of(QualityMetric.ROUND_TRIP_TIME), m.raised());
        assertEquals("raised once, not again", List.of(), m.update(stats(250, 0, 0, 5, 900)));
        assertEquals("between the thresholds: still raised", List.of(), m.update(stats(300, 0, 0, 5, 450)));
        assertEquals(List.of(new QualityWarning(QualityMetric.ROUND_TRIP_TIME, false, 400)),
                m.update(stats(350, 0, 0, 5, 400)));
        assertEquals(Set.of(), m.raised());
    }

    @Test
    public void jitterRaisesAndClears() {
        QualityMonitor m = new QualityMonitor();
        assertEquals(List.of(new QualityWarning(QualityMetric.JITTER, true, 60)), m.update(stats(10, 0, 0, 60, 20)));
        assertEquals(List.of(), m.update(stats(20, 0, 0, 31, 20)));
        assertEquals(List.of(new QualityWarning(QualityMetric.JITTER, false, 30)), m.update(stats(30, 0, 0, 30, 20)));
    }

    @Test
    public void lossIsTheWorseOfTheReportedAndTheReceivedOverAWindowOfFiftyPackets() {
        QualityMonitor m = new QualityMonitor();
        // 4 lost of 44 expected: too few packets to judge yet
        assertEquals(List.of(), m.update(stats(40, 4, 0, 5, 20)));
        // 10 lost of 100 expected: 10 %
        List<QualityWarning> raised = m.update(stats(90, 10, 0, 5, 20));
        assertEquals(1, raised.size());
        assertEquals(QualityMetric.PACKET_LOSS, raised.get(0).metric());
        assertEquals(10.0, raised.get(0).value(), 1e-9);
        // the next 100 without loss: the receive side is fine, but the peer reports 3 % of ours lost
        assertEquals(List.of(), m.update(stats(190, 10, 0.03, 5, 20)));
        assertTrue(m.raised().contains(QualityMetric.PACKET_LOSS));
        List<QualityWarning> cleared = m.update(stats(240, 10, 0.02, 5, 20));
        assertEquals(List.of(new QualityWarning(QualityMetric.PACKET_LOSS, false, 2.0)), cleared);
        // the peer alone can raise it
        assertEquals(List.of(new QualityWarning(QualityMetric.PACKET_LOSS, true, 25.0)),
                m.update(stats(250, 10, 0.25, 5, 20)));
    }
}
