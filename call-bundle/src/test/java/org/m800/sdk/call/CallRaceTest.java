package org.m800.sdk.call;

import static org.junit.Assert.assertEquals;
import static org.m800.sdk.call.CallFixture.calls;
import static org.m800.sdk.call.CallFixture.get;
import static org.m800.sdk.call.CallFixture.userId;
import static org.m800.sdk.testing.ReferenceServerFixture.failure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.server.CallSettings;

/**
 * Races that only a slow machine shows, forced with a held media engine instead of waited for: what the
 * call does when the peer ends it while this side is in the middle of an operation.
 */
public class CallRaceTest {
    private final TemporaryFolder temp = new TemporaryFolder();
    private final CallFixture fx = new CallFixture(temp, CallSettings.DEFAULTS);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void aCallCancelledWhileItsAnswerOpensTheLegFailsTheAnswerAndClosesTheLeg() throws Exception {
        Client a = fx.newUser("alice");
        GatedEngine bobsEngine = new GatedEngine();
        Client b = fx.engines(() -> bobsEngine).newUser("bob");
        CallRecorder onB = CallRecorder.on(calls(b));
        Call atA = get(calls(a).call(userId(b)));
        Call ringing = onB.nextIncoming();
        ExecutorService app = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-app"));
        try {
            // bob answers; opening the leg is slow (the machine is busy), and alice cancels meanwhile
            bobsEngine.holdNextOpen();
            CompletableFuture<CompletableFuture<Void>> answering = CompletableFuture.supplyAsync(ringing::answer, app);
            bobsEngine.awaitHeld();
            get(atA.hangUp());
            onB.expectEnded(CallEndReason.REMOTE_CANCELLED);
            bobsEngine.letGo();
            CompletableFuture<Void> answered = answering.get(CallFixture.SECONDS, TimeUnit.SECONDS);
            M800Exception why = failure(answered);
            assertEquals("the leg opened for an answer of an ended call is still open", 0, bobsEngine.sessionCount());
            // the call ended here before anything was sent: no round trip to the server for an answer
            assertEquals(why.getMessage(), ErrorCode.ILLEGAL_STATE, why.code());
            assertEquals(CallState.ENDED, ringing.state());
            assertEquals(CallEndReason.REMOTE_CANCELLED, ringing.endReason());
        } finally {
            bobsEngine.letGo();
            app.shutdownNow();
            app.awaitTermination(CallFixture.SECONDS, TimeUnit.SECONDS);
            bobsEngine.close(); // the call feature closes it too; idempotent
        }
    }

    @Test
    public void theEndOfACallHungUpAsItsClientClosesIsStillHeard() throws Exception {
        Client a = fx.newUser("alice");
        GatedEngine bobsEngine = new GatedEngine();
        Client b = fx.engines(() -> bobsEngine).newUser("bob");
        CallRecorder onB = CallRecorder.on(calls(b));
        Call atA = get(calls(a).call(userId(b)));
        Call atB = onB.nextIncoming();
        get(atB.answer());
        onB.expectState(CallState.ACTIVE);
        try {
            // alice hangs up: bob's event thread ends his call and is slow closing its leg; meanwhile bob's
            // client closes, finding the call ended already
            bobsEngine.holdNextClose();
            get(atA.hangUp());
            bobsEngine.awaitCloseHeld();
            b.close();
            bobsEngine.letCloseGo();
            // the call was ended before the close: its end is heard (it was dropped once the close had
            // cleared the listeners, when the event was emitted after the leg's close)
            onB.expectEnded(CallEndReason.REMOTE_HANGUP);
        } finally {
            bobsEngine.letCloseGo();
            bobsEngine.close();
        }
    }
}
