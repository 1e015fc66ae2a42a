package org.m800.sdk.call.internal.media.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;
import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaEngineOptions;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.MediaSessionListener;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.internal.media.codec.Codecs;
import org.m800.sdk.call.testing.Goertzel;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;

/**
 * Two sessions back to back over loopback UDP with SRTP: A sends 440 Hz, B 1,000 Hz; each must hear only
 * the other's tone. Then DTMF, hold and resume, mute.
 */
public class LoopbackCallTest {

    static final AudioCodecSpec OPUS = Codecs.SUPPORTED.get(0);
    static final AudioCodecSpec PCMU = Codecs.SUPPORTED.get(1);
    static final AudioCodecSpec PCMA = Codecs.SUPPORTED.get(2);
    static final double AMPLITUDE = 8000;

    private MediaEngine engine;

    @After
    public void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Two started sessions, A (440 Hz) and B (1,000 Hz), with their sinks. */
    static final class Pair {
        MediaSession a;
        MediaSession b;
        RecordingSink sinkA;
        RecordingSink sinkB;
        AudioCodecSpec codec;
        int eventPt;

        NegotiatedMedia forA(MediaDirection direction) {
            return new NegotiatedMedia(b.localAddress(), codec, eventPt, direction, b.localSrtpKey());
        }

        NegotiatedMedia forB(MediaDirection direction) {
            return new NegotiatedMedia(a.localAddress(), codec, eventPt, direction, a.localSrtpKey());
        }
    }

    static Pair call(MediaEngine engine, AudioCodecSpec codec, int rateA, int rateB) throws Exception {
        Pair p = new Pair();
        p.codec = codec;
        p.eventPt = codec.clockRate() == 48000 ? Codecs.EVENTS_48K_PT : Codecs.EVENTS_8K_PT;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        p.a = engine.open(loopback);
        p.b = engine.open(loopback);
        p.sinkA = new RecordingSink(rateA);
        p.sinkB = new RecordingSink(rateB);
        p.a.start(p.forA(MediaDirection.SENDRECV), new ToneSource(rateA, 440, AMPLITUDE), p.sinkA);
        p.b.start(p.forB(MediaDirection.SENDRECV), new ToneSource(rateB, 1000, AMPLITUDE), p.sinkB);
        return p;
    }

    /** Asserts that the next second of {@code sink} is {@code expected} Hz and not {@code other} Hz. */
    static void assertHears(String who, RecordingSink sink, double expected, double other) throws Exception {
        short[] audio = sink.next(1000, 30);
        String heard = who + " heard " + Goertzel.describe(audio, sink.sampleRate(), expected, other);
        assertTrue(heard, Goertzel.blockAmplitude(audio, sink.sampleRate(), expected) > AMPLITUDE * 0.4);
        assertTrue(heard, Goertzel.blockAmplitude(audio, sink.sampleRate(), other) < AMPLITUDE * 0.03);
    }

    static void assertSilent(String who, RecordingSink sink) throws Exception {
        short[] audio = sink.next(500, 30);
        assertTrue(who + " should hear silence: " + Goertzel.describe(audio, sink.sampleRate(), 440, 1000),
                Goertzel.rms(audio) < 50);
    }

    /** Lets the change reach the far sink through the jitter buffer before measuring. */
    static void settle(RecordingSink sink) throws Exception {
        sink.next(500, 30);
    }

    private void eachHearsTheOther(AudioCodecSpec codec, int rateA, int rateB) throws Exception {
        engine = MediaEngine.create();
        Pair p = call(engine, codec, rateA, rateB);
        settle(p.sinkA);
        assertHears("A", p.sinkA, 1000, 440);
        assertHears("B", p.sinkB, 440, 1000);
        assertTrue(p.a.stats().toString(), p.a.stats().packetsSent() > 40);
        assertEquals(p.b.stats().toString(), 0, p.b.stats().packetsRejected());
    }

    @Test
    public void pcmuEachSideHearsOnlyTheOthersTone() throws Exception {
        eachHearsTheOther(PCMU, 8000, 8000);
    }

    @Test
    public void pcmaWithResamplingTo16And48kHz() throws Exception {
        eachHearsTheOther(PCMA, 16000, 48000);
    }

    @Test
    public void opusEachSideHearsOnlyTheOthersTone() throws Exception {
        eachHearsTheOther(OPUS, 48000, 16000);
    }

    @Test
    public void dtmfKeysArriveInOrder() throws Exception {
        dtmf(PCMU);
    }

    @Test
    public void dtmfKeysArriveInOrderWithOpus() throws Exception {
        dtmf(OPUS);
    }

    private void dtmf(AudioCodecSpec codec) throws Exception {
        engine = MediaEngine.create();
        Pair p = call(engine, codec, 8000, 8000);
        LinkedBlockingQueue<Character> keys = new LinkedBlockingQueue<>();
        p.b.setListener(new MediaSessionListener() {
            @Override
            public void dtmfReceived(char digit) {
                keys.add(digit);
            }
        });
        p.a.sendDtmf('1');
        p.a.sendDtmf('5');
        p.a.sendDtmf('#');
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            Character key = keys.poll(10, TimeUnit.SECONDS);
            assertTrue("DTMF so far: " + got, key != null);
            got.append(key);
        }
        assertEquals("15#", got.toString());
        // the tone comes back after the keys
        assertHears("B", p.sinkB, 440, 1000);
        assertEquals(null, keys.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    public void dtmfNotAgreedOrNotAKeyIsRefused() throws Exception {
        engine = MediaEngine.create();
        Pair p = call(engine, PCMU, 8000, 8000);
        IllegalArgumentException notKey = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                () -> p.a.sendDtmf('x'));
        assertTrue(notKey.getMessage(), notKey.getMessage().contains("'x'"));
        p.a.update(new NegotiatedMedia(p.b.localAddress(), PCMU, -1, MediaDirection.SENDRECV, p.b.localSrtpKey()));
        IllegalArgumentException notAgreed = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                () -> p.a.sendDtmf('1'));
        assertTrue(notAgreed.getMessage(), notAgreed.getMessage().contains("not agreed"));
    }

    @Test
    public void holdSilencesAndResumeBringsTheToneBack() throws Exception {
        engine = MediaEngine.create();
        Pair p = call(engine, OPUS, 48000, 48000);
        settle(p.sinkB);
        assertHears("B", p.sinkB, 440, 1000);

        // A holds B: A sendonly (B hears A's audio), B recvonly (sends nothing)
        p.a.update(p.forA(MediaDirection.SENDONLY));
        p.b.update(p.forB(MediaDirection.RECVONLY));
        settle(p.sinkA);
        assertSilent("A (holding)", p.sinkA);
        assertHears("B (held, recvonly)", p.sinkB, 440, 1000);

        p.a.update(p.forA(MediaDirection.INACTIVE));
        p.b.update(p.forB(MediaDirection.INACTIVE));
        settle(p.sinkB);
        assertSilent("A (inactive)", p.sinkA);
        assertSilent("B (inactive)", p.sinkB);

        p.a.update(p.forA(MediaDirection.SENDRECV));
        p.b.update(p.forB(MediaDirection.SENDRECV));
        settle(p.sinkA);
        assertHears("A (resumed)", p.sinkA, 1000, 440);
        assertHears("B (resumed)", p.sinkB, 440, 1000);
    }

    @Test
    public void muteSendsSilenceAndUnmuteBringsTheToneBack() throws Exception {
        engine = MediaEngine.create();
        Pair p = call(engine, PCMU, 8000, 8000);
        settle(p.sinkB);
        assertHears("B", p.sinkB, 440, 1000);
        // levels for a meter: the tone is 8000 of 32768, an RMS of about 0.17
        assertEquals(0.17, p.a.sendLevel(), 0.03);
        assertTrue("B's meter shows the tone", meterShows(p.b, p.sinkB));
        p.a.setMuted(true);
        settle(p.sinkB);
        assertSilent("B (A muted)", p.sinkB);
        assertEquals(0, p.a.sendLevel(), 0.001);
        assertHears("A (while muted)", p.sinkA, 1000, 440);
        long sent = p.a.stats().packetsSent();
        settle(p.sinkA);
        assertTrue("a muted session still sends (silence)", p.a.stats().packetsSent() > sent);
        p.a.setMuted(false);
        settle(p.sinkB);
        assertHears("B (A unmuted)", p.sinkB, 440, 1000);
    }

    /** Whether the receive meter reads the tone's level (RMS 0.17) in one of the next 50 frames played. */
    private static boolean meterShows(MediaSession session, RecordingSink sink) throws Exception {
        for (int i = 0; i < 50; i++) {
            sink.next(20, 30); // the next frame played, so the meter has moved on
            if (Math.abs(session.receiveLevel() - 0.17) < 0.05) {
                return true;
            }
        }
        return false;
    }

    @Test
    public void aMediaTimeoutIsReportedWhenThePeerStops() throws Exception {
        engine = MediaEngine.create(MediaEngineOptions.DEFAULTS.withMediaTimeout(java.time.Duration.ofMillis(600)));
        Pair p = call(engine, PCMU, 8000, 8000);
        java.util.concurrent.CountDownLatch timeout = new java.util.concurrent.CountDownLatch(1);
        p.a.setListener(new MediaSessionListener() {
            @Override
            public void mediaTimeout() {
                timeout.countDown();
            }
        });
        settle(p.sinkA);
        assertEquals("no timeout while media flows", 1, timeout.getCount());
        p.b.close();
        assertTrue("media timeout after the peer stopped", timeout.await(20, TimeUnit.SECONDS));
    }
}
