package org.m800.sdk.call;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.call.CallFixture.calls;
import static org.m800.sdk.call.CallFixture.get;
import static org.m800.sdk.call.CallFixture.userId;
import static org.m800.sdk.testing.ReferenceServerFixture.failure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.server.CallSettings;

/**
 * What a device sees of calls through the real server: every device of the callee rings and the first
 * answer wins, cancel and rejects, the missed-call count and the call log, bad input, and the media
 * timeout that ends a call on both sides when the audio stops.
 */
public class CallSignallingTest {
    private final TemporaryFolder temp = new TemporaryFolder();
    private final CallFixture fx = new CallFixture(temp, CallSettings.DEFAULTS.withMediaTimeout(Duration.ofSeconds(2)));

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    private static CallOptions tone(double hz) {
        return CallOptions.of(new ToneSource(CallFixture.RATE, hz, 4_000), new RecordingSink(CallFixture.RATE));
    }

    @Test
    public void everyDeviceRingsTheFirstAnswerWinsAndTheOtherEndsAnsweredElsewhere() throws Exception {
        Client a = fx.newUser("alice");
        Client b1 = fx.newUser("bob");
        Client b2 = fx.otherDevice("bob", "bob-tablet");
        CallRecorder onA = CallRecorder.on(calls(a));
        CallRecorder onB1 = CallRecorder.on(calls(b1));
        CallRecorder onB2 = CallRecorder.on(calls(b2));
        Call atA = get(calls(a).call(userId(b1), tone(440)));
        Call ring1 = onB1.nextIncoming();
        Call ring2 = onB2.nextIncoming();
        assertEquals(atA.id(), ring1.id());
        assertEquals(atA.id(), ring2.id());
        // the signalling runs on the call servers' own connection
        for (Client c : List.of(a, b1, b2)) {
            ConnectService callConnection = c.module("service.connect.call", ConnectService.class).orElseThrow();
            java.util.concurrent.CompletableFuture<Void> up = new java.util.concurrent.CompletableFuture<>();
            try (org.m800.sdk.core.Subscription s = callConnection.onStateChange(e -> {
                if (e.newState() == ConnectionState.CONNECTED) {
                    up.complete(null);
                }
            })) {
                get(up);
            }
        }
        get(ring1.answer(tone(1000)));
        onB2.expectEnded(CallEndReason.ANSWERED_ELSEWHERE);
        assertEquals(CallState.ENDED, ring2.state());
        onA.expectState(CallState.ACTIVE);
        // the device that lost cannot answer any more
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(ring2.answer(tone(1000))).code());
        assertTrue(calls(b2).calls().isEmpty());
        get(atA.hangUp());
        onB1.expectEnded(CallEndReason.REMOTE_HANGUP);
    }

    @Test
    public void cancelStopsTheRingingAndCountsAsMissedUntilSeen() throws Exception {
        Client a = fx.newUser("alice");
        Client b1 = fx.newUser("bob");
        Client b2 = fx.otherDevice("bob", "bob-tablet");
        CallRecorder onB1 = CallRecorder.on(calls(b1));
        CallRecorder onB2 = CallRecorder.on(calls(b2));
        Call atA = get(calls(a).call(userId(b1), tone(440)));
        onB1.nextIncoming();
        onB2.nextIncoming();
        get(atA.hangUp());
        assertEquals(CallEndReason.CANCELLED, atA.endReason());
        onB1.expectEnded(CallEndReason.REMOTE_CANCELLED);
        onB2.expectEnded(CallEndReason.REMOTE_CANCELLED);
        onB1.expectMissed(1);
        assertEquals(1, calls(b1).missedCallCount());
        CallRecord r = lastCall(b1);
        assertEquals(atA.id(), r.callId());
        assertEquals(userId(a), r.peerUserId());
        assertEquals(CallDirection.INCOMING, r.direction());
        assertEquals(CallEndReason.REMOTE_CANCELLED, r.endReason());
        assertTrue(r.missed());
        assertNull(r.answeredAt());
        get(calls(b1).markMissedCallsSeen());
        assertEquals(0, calls(b1).missedCallCount());
        CallRecord mine = lastCall(a);
        assertEquals(CallDirection.OUTGOING, mine.direction());
        assertEquals(CallEndReason.CANCELLED, mine.endReason());
        assertFalse(mine.missed());
    }

    @Test
    public void aDeclineOrABusyRejectEndsTheCallersCall() throws Exception {
        Client a = fx.newUser("alice");
        Client b = fx.newUser("bob");
        CallRecorder onA = CallRecorder.on(calls(a));
        CallRecorder onB = CallRecorder.on(calls(b));
        get(calls(a).call(userId(b), tone(440)));
        get(onB.nextIncoming().reject());
        onA.expectEnded(CallEndReason.REMOTE_DECLINED);
        onB.expectEnded(CallEndReason.DECLINED);
        get(calls(a).call(userId(b), tone(440)));
        get(onB.nextIncoming().rejectBusy());
        onA.expectEnded(CallEndReason.BUSY);
    }

    @Test
    public void badInputIsAClearErrorAndNothingIsLeftOpen() throws Exception {
        Client a = fx.newUser("alice");
        Client b = fx.newUser("bob");
        CallRecorder onA = CallRecorder.on(calls(a));
        CallRecorder onB = CallRecorder.on(calls(b));
        assertEquals(ErrorCode.NOT_FOUND, failure(calls(a).call("u-nobody", tone(440))).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(calls(a).call(userId(a), tone(440))).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(calls(a).call(" ", tone(440))).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(calls(a).call(userId(b), tone(440).withCodecs("G729"))).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(calls(a).callLog(null, 0)).code());
        assertTrue(calls(a).calls().isEmpty());

        // no common codec: A offers Opus only, B accepts PCMU only
        get(calls(a).call(userId(b), tone(440).withCodecs("opus")));
        Call atB = onB.nextIncoming();
        M800Exception e = failure(atB.answer(tone(1000).withCodecs("PCMU")));
        assertEquals(ErrorCode.PROTOCOL, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("no common codec"));
        assertEquals(CallEndReason.INCOMPATIBLE_MEDIA, atB.endReason());
        onA.expectEnded(CallEndReason.INCOMPATIBLE_MEDIA);

        // the feature works on: a good call
        Call ok = get(calls(a).call(userId(b), tone(440)));
        get(onB.nextIncoming().answer(tone(1000)));
        onA.expectState(CallState.ACTIVE);
        get(ok.hangUp());
        // operations in the wrong state fail their future, they never throw
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(ok.hold()).code());
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(ok.answer()).code());
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(ok.sendDtmf("1")).code());
        get(ok.hangUp());
    }

    @Test
    public void whenTheAudioStopsBothSidesEndWithTheMediaTimeout() throws Exception {
        CuttableEngine[] engine = new CuttableEngine[1];
        fx.engines(() -> engine[0] = new CuttableEngine());
        Client a = fx.newUser("alice");
        fx.engines(org.m800.sdk.call.internal.media.MediaEngine::create);
        Client b = fx.newUser("bob");
        CallRecorder onA = CallRecorder.on(calls(a));
        CallRecorder onB = CallRecorder.on(calls(b));
        get(calls(a).call(userId(b), tone(440)));
        get(onB.nextIncoming().answer(tone(1000)));
        onA.expectState(CallState.ACTIVE);
        engine[0].cut();
        onA.expectEnded(CallEndReason.MEDIA_TIMEOUT);
        onB.expectEnded(CallEndReason.MEDIA_TIMEOUT);
        assertEquals(CallEndReason.MEDIA_TIMEOUT, lastCall(b).endReason());
    }

    /** The newest record of the client's call log once it has ended (the log follows the events). */
    private static CallRecord lastCall(Client c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CallFixture.SECONDS);
        while (true) {
            List<CallRecord> log = get(calls(c).callLog(null, 5)).records();
            if (!log.isEmpty() && log.get(0).endReason() != null) {
                return log.get(0);
            }
            assertTrue("the call log did not get the ended call", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }
}
