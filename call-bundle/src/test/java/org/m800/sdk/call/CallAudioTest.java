package org.m800.sdk.call;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.call.CallFixture.calls;
import static org.m800.sdk.call.CallFixture.get;
import static org.m800.sdk.call.CallFixture.userId;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.call.testing.Goertzel;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;
import org.m800.sdk.core.Client;
import org.m800.server.CallSettings;

/**
 * Calls between two clients through the real server and its relay, with real encrypted audio: A calls B
 * with a 440 Hz tone, B answers with 1 000 Hz, and each side's sink is analysed (Goertzel). Also DTMF,
 * hold and resume, and a signalling connection cut in the middle of a call.
 */
public class CallAudioTest {
    private static final double AMPLITUDE = 8_000;
    private final TemporaryFolder temp = new TemporaryFolder();
    private final CallFixture fx = new CallFixture(temp, CallSettings.DEFAULTS);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    /** A call from A (440 Hz) to B (1 000 Hz), answered; both ACTIVE. */
    private static final class Pair {
        Client a;
        Client b;
        Call atA;
        Call atB;
        RecordingSink sinkA = new RecordingSink(CallFixture.RATE);
        RecordingSink sinkB = new RecordingSink(CallFixture.RATE);
        CallRecorder eventsA;
        CallRecorder eventsB;
    }

    private Pair call(CallOptions aOptions, CallOptions bOptions) throws Exception {
        Pair p = new Pair();
        p.a = fx.newUser("alice");
        p.b = fx.newUser("bob");
        p.eventsA = CallRecorder.on(calls(p.a));
        p.eventsB = CallRecorder.on(calls(p.b));
        CallOptions a = new CallOptions(new ToneSource(CallFixture.RATE, 440, AMPLITUDE), p.sinkA, aOptions.codecs());
        CallOptions b = new CallOptions(new ToneSource(CallFixture.RATE, 1000, AMPLITUDE), p.sinkB, bOptions.codecs());
        p.atA = get(calls(p.a).call(userId(p.b), a));
        p.atB = p.eventsB.nextIncoming();
        assertEquals(p.atA.id(), p.atB.id());
        assertEquals(userId(p.a), p.atB.peerUserId());
        assertEquals(CallDirection.INCOMING, p.atB.direction());
        p.eventsA.expectState(CallState.RINGING);
        get(p.atB.answer(b));
        assertEquals(CallState.ACTIVE, p.atB.state());
        p.eventsA.expectState(CallState.ACTIVE);
        return p;
    }

    /**
     * Waits (at most 15 s) for a second of {@code sink} that is {@code expected} Hz and not {@code other} Hz:
     * a change (answer, resume, unmute) reaches the far sink through the relay and the jitter buffer after a
     * while that depends on the machine's load, so the test waits for the property, not for a time.
     */
    static void assertHears(String who, RecordingSink sink, double expected, double other) throws Exception {
        String heard = "nothing";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            short[] audio = sink.next(1000, 30);
            heard = Goertzel.describe(audio, sink.sampleRate(), expected, other);
            if (Goertzel.blockAmplitude(audio, sink.sampleRate(), expected) > AMPLITUDE * 0.4
                    && Goertzel.blockAmplitude(audio, sink.sampleRate(), other) < AMPLITUDE * 0.03) {
                return;
            }
        }
        throw new AssertionError(who + " did not hear " + expected + " Hz alone within 15 s; last: " + heard);
    }

    /** Waits (at most 15 s) for half a second of silence in {@code sink}. */
    static void assertSilent(String who, RecordingSink sink) throws Exception {
        String heard = "nothing";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            short[] audio = sink.next(500, 30);
            heard = Goertzel.describe(audio, sink.sampleRate(), 440, 1000);
            if (Goertzel.rms(audio) < 50) {
                return;
            }
        }
        throw new AssertionError(who + " did not become silent within 15 s; last: " + heard);
    }

    /** Lets a change reach the far sink through the jitter buffer before measuring. */
    static void settle(RecordingSink sink) throws Exception {
        sink.next(500, 30);
    }

    private void eachHearsTheOther(Pair p, String codec) throws Exception {
        settle(p.sinkA);
        assertHears("A", p.sinkA, 1000, 440);
        try {
            assertHears("B", p.sinkB, 440, 1000);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; A " + p.atA.statistics() + "; B " + p.atB.statistics(), e);
        }
        assertEquals(codec, p.atA.statistics().codec() == null ? codec : p.atA.statistics().codec());
        get(p.atA.hangUp());
        assertEquals(CallEndReason.LOCAL_HANGUP, p.atA.endReason());
        p.eventsB.expectEnded(CallEndReason.REMOTE_HANGUP);
        assertTrue(calls(p.a).calls().isEmpty());
    }

    @Test
    public void opusEachSideHearsOnlyTheOthersTone() throws Exception {
        Pair p = call(CallOptions.DEFAULTS, CallOptions.DEFAULTS);
        eachHearsTheOther(p, "opus");
    }

    @Test
    public void pcmuEachSideHearsOnlyTheOthersTone() throws Exception {
        Pair p = call(CallOptions.DEFAULTS.withCodecs("PCMU"), CallOptions.DEFAULTS.withCodecs("PCMU"));
        eachHearsTheOther(p, "PCMU");
    }

    @Test
    public void aOffersBothAndBAcceptsOnlyPcmu() throws Exception {
        Pair p = call(CallOptions.DEFAULTS.withCodecs("opus", "PCMU"), CallOptions.DEFAULTS.withCodecs("PCMU"));
        eachHearsTheOther(p, "PCMU");
    }

    @Test
    public void dtmfArrivesInOrder() throws Exception {
        Pair p = call(CallOptions.DEFAULTS, CallOptions.DEFAULTS);
        settle(p.sinkB);
        get(p.atA.sendDtmf("15#"));
        for (char expected : List.of('1', '5', '#')) {
            assertEquals(Character.valueOf(expected), p.eventsB.dtmf.poll(CallFixture.SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(org.m800.sdk.core.ErrorCode.INVALID_ARGUMENT,
                org.m800.sdk.testing.ReferenceServerFixture.failure(p.atA.sendDtmf("1x")).code());
    }

    @Test
    public void holdSilencesBothWaysAndResumeBringsTheTonesBack() throws Exception {
        Pair p = call(CallOptions.DEFAULTS, CallOptions.DEFAULTS);
        settle(p.sinkB);
        assertHears("B", p.sinkB, 440, 1000);
        get(p.atA.hold());
        assertEquals(CallState.HELD, p.atA.state());
        assertEquals(Boolean.TRUE, p.eventsB.remoteHold.poll(CallFixture.SECONDS, TimeUnit.SECONDS));
        assertTrue(p.atB.isRemoteHold());
        settle(p.sinkB);
        assertSilent("B", p.sinkB);
        settle(p.sinkA);
        assertSilent("A", p.sinkA);
        get(p.atA.resume());
        assertEquals(CallState.ACTIVE, p.atA.state());
        assertEquals(Boolean.FALSE, p.eventsB.remoteHold.poll(CallFixture.SECONDS, TimeUnit.SECONDS));
        settle(p.sinkB);
        try {
            assertHears("B", p.sinkB, 440, 1000);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; A " + p.atA.statistics() + " " + p.atA.state() + "; B "
                    + p.atB.statistics() + " " + p.atB.state(), e);
        }
        assertHears("A", p.sinkA, 1000, 440);
        // mute: B hears silence from A, A still hears B
        p.atA.setMuted(true);
        settle(p.sinkB);
        assertSilent("B", p.sinkB);
        assertHears("A", p.sinkA, 1000, 440);
    }

    @Test
    public void theCallGoesOnWhileTheSignallingReconnects() throws Exception {
        Pair p = call(CallOptions.DEFAULTS, CallOptions.DEFAULTS);
        settle(p.sinkB);
        fx.proxy().cutAll();
        assertHears("B", p.sinkB, 440, 1000);
        assertHears("A", p.sinkA, 1000, 440);
        assertEquals(CallState.ACTIVE, p.atA.state());
        assertEquals(CallState.ACTIVE, p.atB.state());
        // the hang-up after the cut goes out on the new connection
        get(p.atB.hangUp());
        p.eventsA.expectEnded(CallEndReason.REMOTE_HANGUP);
        JavaTime.noop(Duration.ZERO);
    }

    /** Keeps the import of Duration used when the test grows. */
    private static final class JavaTime {
        static void noop(Duration d) {
            d.isZero();
        }
    }
}
