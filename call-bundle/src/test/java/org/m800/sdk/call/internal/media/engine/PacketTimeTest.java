package org.m800.sdk.call.internal.media.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.Test;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.internal.media.rtp.RtpHeader;
import org.m800.sdk.call.testing.Goertzel;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;

/**
 * G.711 sent with the packet time the peer asked for (10, 30, 40, 60 ms; the source still gives 20 ms frames):
 * a plain RTP session sends to a bare UDP socket, which checks each packet's payload length, the timestamp
 * and sequence steps, and that the audio decoded from the packets, put back together, is the source's tone
 * without gaps or repeats. Opus refuses other packet times.
 */
public class PacketTimeTest {

    @Test
    public void pcmuIn10MillisecondPackets() throws Exception {
        sendsIn(10);
    }

    @Test
    public void pcmuIn30MillisecondPackets() throws Exception {
        sendsIn(30);
    }

    @Test
    public void pcmuIn40MillisecondPackets() throws Exception {
        sendsIn(40);
    }

    @Test
    public void pcmuIn60MillisecondPackets() throws Exception {
        sendsIn(60);
    }

    @Test
    public void opusOnlyIn20MillisecondPackets() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MediaEngine engine = MediaEngine.create(); DatagramSocket peer = new DatagramSocket(0, loopback)) {
            MediaSession session = engine.open(loopback);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> session.start(
                    new NegotiatedMedia(new InetSocketAddress(loopback, peer.getLocalPort()), LoopbackCallTest.OPUS,
                            -1, MediaDirection.SENDONLY, null, 30),
                    new ToneSource(48000, 1000, 8000), new RecordingSink(48000)));
            assertTrue(e.getMessage(), e.getMessage().contains("30 ms"));
        }
    }

    private static void sendsIn(int ptime) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int samplesPerPacket = 8 * ptime;
        int packets = 1000 / ptime; // one second of audio
        try (MediaEngine engine = MediaEngine.create(); DatagramSocket peer = new DatagramSocket(0, loopback)) {
            peer.setSoTimeout(10_000);
            MediaSession session = engine.open(loopback);
            session.start(new NegotiatedMedia(new InetSocketAddress(loopback, peer.getLocalPort()),
                    LoopbackCallTest.PCMU, -1, MediaDirection.SENDONLY, null, ptime),
                    new ToneSource(16000, 1000, 8000), new RecordingSink(16000));
            short[] audio = new short[packets * samplesPerPacket];
            byte[] buf = new byte[2048];
            long firstSeq = -1;
            long firstTs = -1;
            int got = 0;
            int restarts = 0;
            while (got < packets) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                peer.receive(p);
                if (RtpHeader.isRtcp(buf, p.getLength())) {
                    continue;
                }
                int header = RtpHeader.length(buf, p.getLength());
                assertEquals("payload of a " + ptime + " ms packet", samplesPerPacket, p.getLength() - header);
                long seq = RtpHeader.sequence(buf);
                long ts = RtpHeader.timestamp(buf);
                if (firstSeq < 0) {
                    firstSeq = seq;
                    firstTs = ts;
                }
                assertEquals("sequence", (firstSeq + got) & 0xFFFF, seq);
                long expectedTs = (firstTs + (long) got * samplesPerPacket) & 0xFFFFFFFFL;
                if (ts != expectedTs) {
                    // the engine skipped a stall of the machine (its clock jumped ahead by whole packets): the
                    // audio is not continuous across it, so the second is collected again from here
                    long jump = (ts - expectedTs) & 0xFFFFFFFFL;
                    assertTrue("timestamp " + ts + ", expected " + expectedTs, jump % samplesPerPacket == 0
                            && jump < 8000L * 60 && ++restarts < 20);
                    firstSeq = seq;
                    firstTs = ts;
                    got = 0;
                }
                for (int i = 0; i < samplesPerPacket; i++) {
                    audio[got * samplesPerPacket + i] = ulaw(buf[header + i]);
                }
                got++;
            }
            session.close();
            // the packets put back together are one tone: a gap or a repeated stretch would spread its energy
            short[] steady = java.util.Arrays.copyOfRange(audio, 800, audio.length);
            String heard = ptime + " ms: " + Goertzel.describe(steady, 8000, 1000, 440);
            assertTrue(heard, Goertzel.amplitude(steady, 8000, 1000) > 8000 * 0.9);
            assertTrue(heard, Goertzel.amplitude(steady, 8000, 440) < 8000 * 0.02);
        }
    }

    /** ITU-T G.711 μ-law to linear, written out here so that the check does not use the code under test. */
    private static short ulaw(byte b) {
        int u = ~b & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }
}
