package org.m800.sdk.call;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.m800.sdk.call.CallFixture.calls;
import static org.m800.sdk.call.CallFixture.get;
import static org.m800.sdk.call.CallFixture.userId;
import static org.m800.sdk.call.CallWaitingTest.tone;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.core.Client;
import org.m800.server.CallSettings;

/**
 * Call waiting turned off on the server ({@link CallSettings#withBusyWhenInCall}): a callee already in an
 * answered call is busy; the new call ends at once with {@link CallEndReason#BUSY}, the callee's devices
 * never ring, and its call goes on. Once it is over, the same caller gets through.
 */
public class CallBusyWhenInCallTest {
    private final TemporaryFolder temp = new TemporaryFolder();
    private final CallFixture fx = new CallFixture(temp, CallSettings.DEFAULTS.withBusyWhenInCall(true));

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void aCalleeInACallIsBusyAndDoesNotRing() throws Exception {
        Client a = fx.newUser("alice");
        Client b = fx.newUser("bob");
        Client c = fx.newUser("carol");
        CallRecorder onA = CallRecorder.on(calls(a));
        CallRecorder onB = CallRecorder.on(calls(b));
        CallRecorder onC = CallRecorder.on(calls(c));
        RecordingSink sink = new RecordingSink(CallFixture.RATE);

        Call aToB = get(calls(a).call(userId(b), tone(440, sink)));
        Call first = onB.nextIncoming();
        get(first.answer(tone(1000, new RecordingSink(CallFixture.RATE))));
        onA.expectState(CallState.ACTIVE);

        Call cToB = get(calls(c).call(userId(b), tone(700, new RecordingSink(CallFixture.RATE))));
        onC.expectEnded(CallEndReason.BUSY);
        assertEquals(CallEndReason.BUSY, cToB.endReason());
        // the server ended carol's call before it rang anywhere: bob's device heard nothing of it
        assertNull("bob's device rang for a busy call", onB.incoming.poll());
        assertEquals(1, calls(b).calls().size());
        assertEquals(CallState.ACTIVE, first.state());
        assertEquals(CallState.ACTIVE, aToB.state());

        get(aToB.hangUp());
        onB.expectEnded(CallEndReason.REMOTE_HANGUP);
        Call again = get(calls(c).call(userId(b), tone(700, new RecordingSink(CallFixture.RATE))));
        Call rings = onB.nextIncoming();
        assertEquals(again.id(), rings.id());
        assertFalse(rings.isWaiting());
        get(again.hangUp());
        onB.expectEnded(CallEndReason.REMOTE_CANCELLED);
    }
}
