package org.m800.sdk.call.internal.media.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;

import org.junit.Test;
import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.MediaStats;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.testing.ImpairingUdpProxy;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;

/**
 * A call through a proxy that loses 5 % of the datagrams and delays each by up to 40 ms: the tones are
 * still heard, and each side's measured loss is within 2 points of the injected one; RTCP gives a round
 * trip time and jitter.
 */
public class ImpairedNetworkTest {

    @Test
    public void opusThroughFivePercentLossAndFortyMillisecondsOfJitter() throws Exception {
        impaired(LoopbackCallTest.OPUS, 110);
    }

    @Test
    public void pcmuThroughFivePercentLossAndFortyMillisecondsOfJitter() throws Exception {
        impaired(LoopbackCallTest.PCMU, 101);
    }

    private static void impaired(AudioCodecSpec codec, int eventPt) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MediaEngine engine = MediaEngine.create()) {
            MediaSession a = engine.open(loopback);
            MediaSession b = engine.open(loopback);
            try (ImpairingUdpProxy proxy = new ImpairingUdpProxy(a.localAddress(), b.localAddress(), 0.05, 40, 14)) {
                RecordingSink sinkA = new RecordingSink(8000);
                RecordingSink sinkB = new RecordingSink(16000);
                a.start(new NegotiatedMedia(proxy.addressForA(), codec, eventPt, MediaDirection.SENDRECV,
                        b.localSrtpKey()), new ToneSource(16000, 440, LoopbackCallTest.AMPLITUDE), sinkA);
                b.start(new NegotiatedMedia(proxy.addressForB(), codec, eventPt, MediaDirection.SENDRECV,
                        a.localSrtpKey()), new ToneSource(8000, 1000, LoopbackCallTest.AMPLITUDE), sinkB);
                sinkB.next(1000, 30);
                LoopbackCallTest.assertHears("A", sinkA, 1000, 440);
                LoopbackCallTest.assertHears("B", sinkB, 440, 1000);
                // 12 s more: some 600 packets each way, so that the measured loss is a fair estimate
                sinkB.next(12_000, 60);
                LoopbackCallTest.assertHears("B (later)", sinkB, 440, 1000);

                MediaStats statsA = a.stats();
                MediaStats statsB = b.stats();
                String stats = "A: " + statsA + " B: " + statsB + " injected towards B " + proxy.lossTowardsB()
                        + ", towards A " + proxy.lossTowardsA();
                assertEquals(stats, 0.05, statsB.receiveLossRatio(), 0.02);
                assertEquals(stats, 0.05, statsA.receiveLossRatio(), 0.02);
                // the loss the receiver measures is the loss the proxy made (up to the packets still in flight)
                assertEquals(stats, proxy.lossTowardsB(), statsB.receiveLossRatio(), 0.01);
                // RTCP: the peer's report of our loss, a round trip time, jitter from the 0..40 ms delays
                assertTrue(stats, statsA.fractionLost() >= 0 && statsA.fractionLost() < 0.2);
                assertTrue(stats, statsA.roundTripMs() >= 0);
                assertTrue(stats, statsB.jitterMs() > 2 && statsB.jitterMs() < 200);
                assertTrue(stats, statsB.framesConcealed() > 0);
                assertTrue(stats, statsB.playoutDelayMs() >= 40);
                assertEquals(stats, 0, statsB.packetsRejected());
            }
        }
    }
}
