package org.m800.sdk.call;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.call.CallAudioTest.assertHears;
import static org.m800.sdk.call.CallAudioTest.assertSilent;
import static org.m800.sdk.call.CallAudioTest.settle;
import static org.m800.sdk.call.CallFixture.calls;
import static org.m800.sdk.call.CallFixture.get;
import static org.m800.sdk.call.CallFixture.userId;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;
import org.m800.sdk.core.Client;
import org.m800.server.CallSettings;

/**
 * Call waiting with the server's default settings: a callee already in an answered call gets the new call as
 * waiting ({@link Call#isWaiting()}); it can hold the first call, take the second, and go back.
 */
public class CallWaitingTest {
    private final TemporaryFolder temp = new TemporaryFolder();
    private final CallFixture fx = new CallFixture(temp, CallSettings.DEFAULTS);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    static CallOptions tone(double hz, RecordingSink sink) {
        return CallOptions.of(new ToneSource(CallFixture.RATE, hz, 8_000), sink);
    }

    @Test
    public void aSecondCallWaitsAndCanBeTakenAfterHoldingTheFirst() throws Exception {
        Client a = fx.newUser("alice");
        Client b = fx.newUser("bob");
        Client c = fx.newUser("carol");
        CallRecorder onA = CallRecorder.on(calls(a));
        CallRecorder onB = CallRecorder.on(calls(b));
        CallRecorder onC = CallRecorder.on(calls(c));
        RecordingSink aHears = new RecordingSink(CallFixture.RATE);
        RecordingSink bHearsA = new RecordingSink(CallFixture.RATE);
        RecordingSink bHearsC = new RecordingSink(CallFixture.RATE);
        RecordingSink cHears = new RecordingSink(CallFixture.RATE);

        Call aToB = get(calls(a).call(userId(b), tone(440, aHears)));
        Call first = onB.nextIncoming();
        assertFalse("nobody was in a call: not waiting", first.isWaiting());
        get(first.answer(tone(1000, bHearsA)));
        onA.expectState(CallState.ACTIVE);

        Call cToB = get(calls(c).call(userId(b), tone(700, cHears)));
        Call second = onB.nextIncoming();
        assertEquals(cToB.id(), second.id());
        assertTrue("bob is in a call: the second call waits", second.isWaiting());
        assertEquals(CallState.INCOMING, second.state());
        onC.expectState(CallState.RINGING);
        assertEquals(CallState.ACTIVE, first.state());
        assertEquals(Set.of(first.id(), second.id()),
                calls(b).calls().stream().map(Call::id).collect(Collectors.toSet()));

        // bob holds alice and takes carol: carol hears bob's tone, alice hears nothing
        get(first.hold());
        assertEquals(CallState.HELD, first.state());
        get(second.answer(tone(1000, bHearsC)));
        onC.expectState(CallState.ACTIVE);
        settle(cHears);
        assertHears("carol", cHears, 1000, 440);
        assertHears("bob (from carol)", bHearsC, 700, 440);
        settle(aHears);
        assertSilent("alice (held)", aHears);

        // bob ends carol's call and goes back to alice
        get(second.hangUp());
        onB.expectEnded(CallEndReason.LOCAL_HANGUP);
        onC.expectEnded(CallEndReason.REMOTE_HANGUP);
        get(first.resume());
        assertEquals(CallState.ACTIVE, first.state());
        settle(aHears);
        assertHears("alice (resumed)", aHears, 1000, 700);
        get(aToB.hangUp());
        onB.expectEnded(CallEndReason.REMOTE_HANGUP);
        assertTrue(calls(b).calls().isEmpty());
    }
}
