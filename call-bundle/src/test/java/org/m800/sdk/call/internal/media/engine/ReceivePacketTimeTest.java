package org.m800.sdk.call.internal.media.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.Test;
import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.testing.Goertzel;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;

/**
 * The real engine receiving packets that are not 20 ms: a raw RTP sender built here (plain RTP, as a peer
 * without SRTP sends when the application allowed it) sends 1,000 Hz in real time, with G.711 packet times
 * of 10, 30, 40 and 60 ms and Opus packets of 10, 40 and 60 ms and of two and three 20 ms frames; the
 * session's sink must hear the tone (and not the 440 Hz the session sends itself). {@link ReceivePathTest}
 * checks the same cases sample-exactly on a simulated clock.
 */
public class ReceivePacketTimeTest {

    private static final AudioCodecSpec OPUS = LoopbackCallTest.OPUS;
    private static final AudioCodecSpec PCMU = LoopbackCallTest.PCMU;
    private static final double A = 8000;

    @Test
    public void pcmuIn10MillisecondPackets() throws Exception {
        hears(PeerStream.pcmu(10, 1000, A), PCMU);
    }

    @Test
    public void pcmuIn30MillisecondPackets() throws Exception {
        hears(PeerStream.pcmu(30, 1000, A), PCMU);
    }

    @Test
    public void pcmuIn40MillisecondPackets() throws Exception {
        hears(PeerStream.pcmu(40, 1000, A), PCMU);
    }

    @Test
    public void pcmuIn60MillisecondPackets() throws Exception {
        hears(PeerStream.pcmu(60, 1000, A), PCMU);
    }

    @Test
    public void opusIn10MillisecondPackets() throws Exception {
        hears(PeerStream.opus(10, 1, 1000, A), OPUS);
    }

    @Test
    public void opusIn40MillisecondPackets() throws Exception {
        hears(PeerStream.opus(40, 1, 1000, A), OPUS);
    }

    @Test
    public void opusIn60MillisecondPackets() throws Exception {
        hears(PeerStream.opus(60, 1, 1000, A), OPUS);
    }

    @Test
    public void opusWithTwoFramesPerPacket() throws Exception {
        hears(PeerStream.opus(20, 2, 1000, A), OPUS);
    }

    @Test
    public void opusWithThreeFramesPerPacket() throws Exception {
        hears(PeerStream.opus(20, 3, 1000, A), OPUS);
    }

    private static void hears(PeerStream peer, AudioCodecSpec codec) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (MediaEngine engine = MediaEngine.create(); DatagramSocket socket = new DatagramSocket(0, loopback)) {
            MediaSession session = engine.open(loopback);
            RecordingSink sink = new RecordingSink(16000);
            session.start(new NegotiatedMedia(new InetSocketAddress(loopback, socket.getLocalPort()), codec, -1,
                    MediaDirection.SENDRECV, null), new ToneSource(16000, 440, A), sink);
            Thread sender = new Thread(() -> send(peer, socket, session.localAddress(), stop, failure),
                    "test-rtp-peer");
            sender.start();
            try {
                short[] audio = awaitTone(sink);
                String heard = peer.packetMs() + " ms packets of " + codec.name() + ": "
                        + Goertzel.describe(audio, 16000, 1000, 440) + " " + session.stats();
                assertTrue(heard, Goertzel.blockAmplitude(audio, 16000, 1000) > A * 0.4);
                assertTrue(heard, Goertzel.blockAmplitude(audio, 16000, 440) < A * 0.03);
                assertEquals(heard, 0, session.stats().packetsRejected());
            } finally {
                stop.set(true);
                sender.join(TimeUnit.SECONDS.toMillis(10));
            }
            session.close();
            if (failure.get() != null) {
                throw new AssertionError("the test's RTP sender failed", failure.get());
            }
        }
    }

    /** Sends the peer's packets in real time, each when its audio would have been captured. */
    private static void send(PeerStream peer, DatagramSocket socket, InetSocketAddress to, AtomicBoolean stop,
            AtomicReference<Throwable> failure) {
        long period = TimeUnit.MILLISECONDS.toNanos(peer.packetMs());
        long due = System.nanoTime();
        try {
            while (!stop.get()) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                byte[] packet = peer.next();
                socket.send(new DatagramPacket(packet, packet.length, to));
                due += period;
            }
        } catch (Exception e) {
            failure.set(e);
        }
    }

    /** Waits (up to 30 s of the sink's audio) for a second in which the tone is there, and returns the next. */
    private static short[] awaitTone(RecordingSink sink) throws Exception {
        short[] last = null;
        for (int i = 0; i < 30; i++) {
            last = sink.next(1000, 30);
            if (Goertzel.blockAmplitude(last, sink.sampleRate(), 1000) > A * 0.2) {
                return sink.next(1000, 30);
            }
        }
        throw new AssertionError("no 1000 Hz in 30 s: " + Goertzel.describe(last, sink.sampleRate(), 1000, 440));
    }
}
