package org.m800.sdk.call.internal.media.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.internal.media.rtp.RtpHeader;
import org.m800.sdk.call.internal.media.srtp.SrtpContext;
import org.m800.sdk.call.testing.ImpairingUdpProxy;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;

/**
 * What a session refuses (RTP from another address, from another SSRC even with the right key, a replayed
 * or tampered packet, bad arguments) while the call goes on; and that closing the engine leaves no thread
 * and no UDP socket.
 */
public class RejectionAndCloseTest {

    @Test
    public void foreignAddressForeignSsrcReplayAndTamperingAreDroppedAndTheCallGoesOn() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MediaEngine engine = MediaEngine.create()) {
            MediaSession a = engine.open(loopback);
            MediaSession b = engine.open(loopback);
            try (ImpairingUdpProxy proxy = new ImpairingUdpProxy(a.localAddress(), b.localAddress(), 0, 0, 1);
                    DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
                RecordingSink sinkB = new RecordingSink(8000);
                a.start(new NegotiatedMedia(proxy.addressForA(), LoopbackCallTest.PCMU, 101, MediaDirection.SENDRECV,
                        b.localSrtpKey()), new ToneSource(8000, 440, LoopbackCallTest.AMPLITUDE), new RecordingSink(8000));
                b.start(new NegotiatedMedia(proxy.addressForB(), LoopbackCallTest.PCMU, 101, MediaDirection.SENDRECV,
                        a.localSrtpKey()), new ToneSource(8000, 1000, LoopbackCallTest.AMPLITUDE), sinkB);
                LoopbackCallTest.settle(sinkB);
                LoopbackCallTest.assertHears("B", sinkB, 440, 1000);
                assertEquals(0, b.stats().packetsRejected());

                // a genuine packet of A's, sent again from another address
                byte[] genuine = proxy.lastToB();
                stranger.send(new DatagramPacket(genuine, genuine.length, b.localAddress()));
                awaitRejected(b, 1);

                // the same packet again through the proxy: a replay
                proxy.injectToB(genuine);
                awaitRejected(b, 2);

                // a packet of A's with one payload bit flipped: authentication fails
                byte[] tampered = proxy.lastToB();
                tampered[20] ^= 0x10;
                proxy.injectToB(tampered);
                awaitRejected(b, 3);

                // a well-formed SRTP packet from another SSRC, protected with A's very key
                byte[] foreign = new byte[12 + 160 + SrtpContext.RTP_OVERHEAD];
                RtpHeader.write(foreign, false, 0, 1, 0, 0x0BADCAFEL);
                int len = new SrtpContext(a.localSrtpKey()).protectRtp(foreign, 12 + 160);
                proxy.injectToB(java.util.Arrays.copyOf(foreign, len));
                awaitRejected(b, 4);

                // none of it disturbed the call
                LoopbackCallTest.assertHears("B (after the attacks)", sinkB, 440, 1000);
                assertEquals(4, b.stats().packetsRejected());
            }
        }
    }

    @Test
    public void badArgumentsAreRefusedWithWhatIsWrong() throws Exception {
        try (MediaEngine engine = MediaEngine.create()) {
            MediaSession a = engine.open(InetAddress.getLoopbackAddress());
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            ToneSource source = new ToneSource(8000, 440, 1000);
            RecordingSink sink = new RecordingSink(8000);
            IllegalArgumentException codec = assertThrows(IllegalArgumentException.class, () -> a.start(
                    new NegotiatedMedia(peer, new org.m800.sdk.call.internal.media.AudioCodecSpec("G729", 18, 8000, 1),
                            -1, MediaDirection.SENDRECV, SrtpContext.newMaster()), source, sink));
            assertTrue(codec.getMessage(), codec.getMessage().contains("G729"));
            IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> a.start(
                    new NegotiatedMedia(peer, LoopbackCallTest.PCMU, -1, MediaDirection.SENDRECV, new byte[16]),
                    source, sink));
            assertTrue(key.getMessage(), key.getMessage().contains("30 bytes"));
            IllegalArgumentException rate = assertThrows(IllegalArgumentException.class, () -> a.start(
                    new NegotiatedMedia(peer, LoopbackCallTest.PCMU, -1, MediaDirection.SENDRECV,
                            SrtpContext.newMaster()), new ToneSource(44100, 440, 1000), sink));
            assertTrue(rate.getMessage(), rate.getMessage().contains("44100"));
            assertThrows(IllegalStateException.class, () -> a.update(
                    new NegotiatedMedia(peer, LoopbackCallTest.PCMU, -1, MediaDirection.SENDRECV, SrtpContext.newMaster())));
        }
    }

    @Test
    public void closingTheEngineLeavesNoThreadAndNoSocket() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        MediaEngine engine = MediaEngine.create();
        List<InetSocketAddress> ports = new ArrayList<>();
        RecordingSink sinkB;
        ToneSource source = new ToneSource(8000, 440, 1000);
        try {
            MediaSession a = engine.open(loopback);
            MediaSession b = engine.open(loopback);
            ports.add(a.localAddress());
            ports.add(b.localAddress());
            sinkB = new RecordingSink(8000);
            a.start(new NegotiatedMedia(b.localAddress(), LoopbackCallTest.OPUS, 110, MediaDirection.SENDRECV,
                    b.localSrtpKey()), source, new RecordingSink(8000));
            b.start(new NegotiatedMedia(a.localAddress(), LoopbackCallTest.OPUS, 110, MediaDirection.SENDRECV,
                    a.localSrtpKey()), new ToneSource(8000, 1000, 1000), sinkB);
            sinkB.next(200, 30);
            assertTrue(mediaThreads().size() >= 2);
        } finally {
            engine.close();
        }
        assertEquals("media threads after close", List.of(), mediaThreads());
        assertTrue("the session's sink is closed with it", sinkB.isClosed());
        for (InetSocketAddress port : ports) {
            // the port is free again: the session's socket is closed
            try (DatagramSocket socket = new DatagramSocket(port)) {
                assertTrue(socket.isBound());
            }
        }
        engine.close(); // idempotent
        assertThrows(IOException.class, () -> engine.open(loopback));
        assertFalse(mediaThreads().stream().anyMatch(Thread::isAlive));
    }

    private static List<Thread> mediaThreads() {
        List<Thread> threads = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("m800-media") && t.isAlive()) {
                threads.add(t);
            }
        }
        return threads;
    }

    private static void awaitRejected(MediaSession session, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (session.stats().packetsRejected() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " rejected packets: " + session.stats());
            }
            Thread.sleep(10);
        }
    }
}
