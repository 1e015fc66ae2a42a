package org.m800.sdk.call.internal.media.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.function.IntPredicate;

import org.junit.Test;
import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.codec.Codecs;
import org.m800.sdk.call.testing.RecordingSink;

/**
 * The receive path with packets of every duration a peer may send, on a simulated clock (so the result does
 * not depend on how busy the machine is): packet {@code n} of {@code p} ms arrives at {@code n * p} ms, the
 * playout ticks every 20 ms, and what reaches the sink must be the peer's 770 Hz tone without a gap or a
 * repeat: in every 50 ms block its phase, measured against the sink's own sample count, is the same (a
 * stretch of audio missing or played twice would shift it: 770 Hz does not divide into 2.5 ms), and its
 * level is the tone's. A lost packet is concealed for exactly its duration (the phase after it is the same).
 */
public class ReceivePathTest {

    private static final AudioCodecSpec OPUS = Codecs.SUPPORTED.get(0);
    private static final AudioCodecSpec PCMU = Codecs.SUPPORTED.get(1);
    private static final double F = 770;
    private static final double A = 8000;
    private static final int SINK_RATE = 16000;
    private static final int BLOCK = SINK_RATE / 20;

    @Test
    public void pcmuIn10MillisecondPackets() throws Exception {
        continuous(PeerStream.pcmu(10, F, A), PCMU);
    }

    @Test
    public void pcmuIn20MillisecondPackets() throws Exception {
        continuous(PeerStream.pcmu(20, F, A), PCMU);
    }

    @Test
    public void pcmuIn30MillisecondPackets() throws Exception {
        continuous(PeerStream.pcmu(30, F, A), PCMU);
    }

    @Test
    public void pcmuIn40MillisecondPackets() throws Exception {
        continuous(PeerStream.pcmu(40, F, A), PCMU);
    }

    @Test
    public void pcmuIn60MillisecondPackets() throws Exception {
        continuous(PeerStream.pcmu(60, F, A), PCMU);
    }

    @Test
    public void opusIn10MillisecondFrames() throws Exception {
        continuous(PeerStream.opus(10, 1, F, A), OPUS);
    }

    @Test
    public void opusIn40MillisecondFrames() throws Exception {
        continuous(PeerStream.opus(40, 1, F, A), OPUS);
    }

    @Test
    public void opusIn60MillisecondFrames() throws Exception {
        continuous(PeerStream.opus(60, 1, F, A), OPUS);
    }

    @Test
    public void opusWithTwo20MillisecondFramesPerPacket() throws Exception {
        continuous(PeerStream.opus(20, 2, F, A), OPUS);
    }

    @Test
    public void opusWithThree20MillisecondFramesPerPacket() throws Exception {
        continuous(PeerStream.opus(20, 3, F, A), OPUS);
    }

    @Test
    public void aLost60MillisecondPcmuPacketIsConcealedFor60Milliseconds() throws Exception {
        ReceivePath path = new ReceivePath(20, 300);
        short[] audio = play(path, PeerStream.pcmu(60, F, A), PCMU, 3, n -> n == 20);
        assertEquals("frames concealed", 3, path.jitter().concealed());
        // the lost packet was 1,200..1,260 ms of the stream; the blocks around it (and the playout's lag) are skipped
        assertToneAligned(audio, 1300, 1100, 1400);
    }

    @Test
    public void twoLost30MillisecondPcmuPacketsAreConcealedFor60Milliseconds() throws Exception {
        ReceivePath path = new ReceivePath(20, 300);
        short[] audio = play(path, PeerStream.pcmu(30, F, A), PCMU, 3, n -> n == 40 || n == 41);
        assertEquals("frames concealed", 3, path.jitter().concealed());
        assertToneAligned(audio, 1300, 1100, 1400);
    }

    @Test
    public void aLost60MillisecondOpusPacketIsConcealedFor60Milliseconds() throws Exception {
        ReceivePath path = new ReceivePath(20, 300);
        short[] audio = play(path, PeerStream.opus(20, 3, F, A), OPUS, 3, n -> n == 20);
        assertEquals("frames concealed", 3, path.jitter().concealed());
        // Opus's concealment fades out and its decoder takes a few frames to come back to full level
        assertToneAligned(audio, 1300, 1100, 1500);
    }

    private static void continuous(PeerStream peer, AudioCodecSpec codec) throws Exception {
        ReceivePath path = new ReceivePath(20, 300);
        short[] audio = play(path, peer, codec, 2, n -> false);
        assertEquals("frames concealed", 0, path.jitter().concealed());
        assertEquals("payloads rejected", 0, path.rejected);
        assertToneAligned(audio, 300, -1, -1);
    }

    /**
     * Plays {@code seconds} of the peer's stream through a receive path (packets for which {@code lost} is
     * true are not given to it) and returns what its sink got.
     */
    private static short[] play(ReceivePath path, PeerStream peer, AudioCodecSpec codec, int seconds,
            IntPredicate lost) throws Exception {
        path.configure(null, codec, SINK_RATE);
        RecordingSink sink = new RecordingSink(SINK_RATE);
        long startNanos = 5_000_000_000L;
        int packetMs = peer.packetMs();
        int sent = 0;
        for (int tick = 0; tick < seconds * 50; tick++) {
            long tickMs = tick * 20L + 1;
            while ((long) sent * packetMs <= tickMs) {
                byte[] packet = peer.next();
                if (!lost.test(sent)) {
                    String keys = path.rtp(packet, packet.length, startNanos + sent * packetMs * 1_000_000L, -1);
                    assertEquals("packet " + sent + " accepted", "", keys);
                }
                sent++;
            }
            path.play(sink, true);
        }
        short[] audio = sink.all();
        assertEquals("one 20 ms frame per tick", seconds * 50 * SINK_RATE / 50, audio.length);
        return audio;
    }

    /**
     * Asserts that from {@code fromMs} on (but for {@code skipFromMs..skipToMs}) every 50 ms block holds the
     * tone at nearly its level and with the phase of the first such block.
     */
    private static void assertToneAligned(short[] audio, int fromMs, int skipFromMs, int skipToMs) {
        int first = fromMs * SINK_RATE / 1000 / BLOCK;
        double reference = Double.NaN;
        StringBuilder trace = new StringBuilder();
        boolean ok = true;
        for (int b = first; (b + 1) * BLOCK <= audio.length; b++) {
            int ms = b * BLOCK * 1000 / SINK_RATE;
            if (ms + 50 > skipFromMs && ms < skipToMs) {
                continue;
            }
            double i = 0;
            double q = 0;
            for (int k = b * BLOCK; k < (b + 1) * BLOCK; k++) {
                double w = 2 * Math.PI * F * k / SINK_RATE;
                i += audio[k] * Math.cos(w);
                q += audio[k] * Math.sin(w);
            }
            double level = 2 * Math.hypot(i, q) / BLOCK;
            double phase = Math.atan2(q, i);
            if (Double.isNaN(reference)) {
                reference = phase;
            }
            double drift = Math.abs(Math.IEEEremainder(phase - reference, 2 * Math.PI));
            trace.append(String.format("%d ms: level %.0f, phase %+.2f; ", ms, level, phase - reference));
            ok &= level > A * 0.7 && drift < 0.35;
        }
        assertTrue(trace.toString(), ok);
    }
}
