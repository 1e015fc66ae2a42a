package org.m800.sdk.call;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.call.CallFixture.calls;
import static org.m800.sdk.call.CallFixture.get;
import static org.m800.sdk.call.CallFixture.userId;
import static org.m800.sdk.call.CallWaitingTest.tone;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.core.Client;
import org.m800.server.CallSettings;

/**
 * Quality warnings through the real server, with an impairing UDP proxy between A's leg and the relay: on a
 * clean network none stays raised; 300 ms more delay each way, up to 150 ms of jitter and 20 % loss raise the
 * round-trip, jitter and loss warnings on A's call; a clean network again clears each of them.
 */
public class CallQualityWarningTest {
    private static final Set<QualityMetric> ALL = EnumSet.allOf(QualityMetric.class);

    private final TemporaryFolder temp = new TemporaryFolder();
    private final CallFixture fx = new CallFixture(temp, CallSettings.DEFAULTS);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    /** Waits until the call's raised warnings are {@code expected}, collecting the events on the way. */
    private static List<QualityWarning> awaitRaised(Call call, LinkedBlockingQueue<QualityWarning> events,
            Set<QualityMetric> expected) throws Exception {
        List<QualityWarning> seen = new ArrayList<>();
        Set<QualityMetric> raised = EnumSet.noneOf(QualityMetric.class);
        raised.addAll(call.qualityWarnings());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!raised.equals(expected)) {
            QualityWarning w = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (w == null) {
                throw new AssertionError("warnings " + raised + " did not become " + expected + " within 30 s; events "
                        + seen + "; statistics " + call.statistics());
            }
            seen.add(w);
            if (w.raised()) {
                raised.add(w.metric());
            } else {
                raised.remove(w.metric());
            }
        }
        return seen;
    }

    @Test
    public void anImpairedNetworkRaisesEachWarningAndACleanOneClearsIt() throws Exception {
        ImpairedEngine impaired = new ImpairedEngine();
        fx.engines(() -> impaired);
        Client a = fx.newUser("alice");
        fx.engines(org.m800.sdk.call.internal.media.MediaEngine::create);
        Client b = fx.newUser("bob");
        CallRecorder onA = CallRecorder.on(calls(a));
        CallRecorder onB = CallRecorder.on(calls(b));
        LinkedBlockingQueue<QualityWarning> atA = new LinkedBlockingQueue<>();
        CompletableFuture<CallStatistics> measured = new CompletableFuture<>();
        calls(a).addListener(new CallListener() {
            @Override
            public void qualityChanged(Call call, QualityWarning warning) {
                atA.add(warning);
            }

            @Override
            public void statistics(Call call, CallStatistics statistics) {
                if (statistics.roundTripMs() >= 0 && statistics.packetsReceived() >= 100) {
                    measured.complete(statistics);
                }
            }
        });

        Call call = get(calls(a).call(userId(b), tone(440, new RecordingSink(CallFixture.RATE))));
        get(onB.nextIncoming().answer(tone(1000, new RecordingSink(CallFixture.RATE))));
        onA.expectState(CallState.ACTIVE);
        // a clean network: statistics with a round-trip time come (told about once a second), and no warning
        try {
            measured.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no statistics with a round-trip time within 30 s: " + call.statistics(), e);
        }
        // (a machine starved for a moment can make even loopback look bad: wait for that to pass)
        awaitRaised(call, atA, Set.of());
        atA.clear();

        impaired.impair(0.20, 150, 300);
        List<QualityWarning> raised = awaitRaised(call, atA, ALL);
        assertEquals("each warning raised: " + raised, ALL, raised.stream().filter(QualityWarning::raised)
                .map(QualityWarning::metric).collect(java.util.stream.Collectors.toSet()));
        for (QualityWarning w : raised) {
            assertTrue(w.toString(), w.raised() ? w.value() > w.metric().raiseAbove()
                    : w.value() <= w.metric().clearAtOrBelow());
        }

        impaired.impair(0, 0, 0);
        List<QualityWarning> cleared = awaitRaised(call, atA, Set.of());
        assertTrue("each warning cleared: " + cleared, cleared.stream().filter(w -> !w.raised())
                .map(QualityWarning::metric).collect(java.util.stream.Collectors.toSet()).equals(ALL));
        for (QualityWarning w : cleared) {
            assertTrue(w.toString(), w.raised() ? w.value() > w.metric().raiseAbove()
                    : w.value() <= w.metric().clearAtOrBelow());
        }
        assertEquals(CallState.ACTIVE, call.state());
        get(call.hangUp());
        onB.expectEnded(CallEndReason.REMOTE_HANGUP);
    }
}
