package org.m800.sdk.call;

import static org.junit.Assert.assertEquals;
import static org.m800.sdk.call.CallFixture.calls;
import static org.m800.sdk.call.CallFixture.get;
import static org.m800.sdk.call.CallFixture.userId;

import java.time.Duration;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;
import org.m800.sdk.core.Client;
import org.m800.server.CallSettings;

/** A call nobody answers ends on both sides with NO_ANSWER (the server's ring timeout, shortened here). */
public class CallNoAnswerTest {
    private final TemporaryFolder temp = new TemporaryFolder();
    private final CallFixture fx = new CallFixture(temp, CallSettings.DEFAULTS.withRingTimeout(Duration.ofSeconds(1)));

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void anUnansweredCallEndsWithNoAnswerAndIsMissed() throws Exception {
        Client a = fx.newUser("alice");
        Client b = fx.newUser("bob");
        CallRecorder onA = CallRecorder.on(calls(a));
        CallRecorder onB = CallRecorder.on(calls(b));
        Call atA = get(calls(a).call(userId(b), CallOptions.of(new ToneSource(CallFixture.RATE, 440, 4_000),
                new RecordingSink(CallFixture.RATE))));
        onB.nextIncoming();
        onA.expectEnded(CallEndReason.NO_ANSWER);
        onB.expectEnded(CallEndReason.NO_ANSWER);
        assertEquals(CallEndReason.NO_ANSWER, atA.endReason());
        onB.expectMissed(1);
    }
}
