package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientDiagnostics.FeatureState;
import org.m800.sdk.core.ClientDiagnostics.ModuleState;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.itest.api.Tracked;
import org.m800.sdk.itest.api.TrackedModule;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Dependencies that never arrive stay pending and are named; cycles are reported, not hung on. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DependencyIT extends M800TestSupport {

    @Test
    public void aFeatureWhoseDependencyNeverArrivesStaysPendingAndIsNamed() throws Exception {
        Client client = readyClient("pending-1");
        Events events = events(client);
        int mark = events.mark();
        installAndStart(TestBundles.BETA);
        waitUntil("the client knows feature beta", () -> client.diagnostics().feature("beta") != null, TIMEOUT_S);

        ClientDiagnostics d = client.diagnostics();
        ClientDiagnostics.FeatureStatus beta = d.feature("beta");
        assertEquals(d.describe(), FeatureState.PENDING, beta.state());
        assertTrue("beta waits for gamma.engine: " + d.describe(), beta.waitingFor().contains("gamma.engine"));
        ClientDiagnostics.ModuleStatus worker = d.module("beta.worker");
        assertNotNull(d.describe(), worker);
        assertEquals(d.describe(), ModuleState.PENDING, worker.state());
        assertEquals(d.describe(), List.of("gamma.engine"), worker.missing());
        assertTrue("describe() names the missing module", d.describe().contains("gamma.engine"));
        assertFalse(client.module("beta.worker").isPresent());
        assertEquals(0, events.count(mark, ClientEvent.FEATURE_READY, "beta"));
        assertTrue("a pending feature does not stop the client being ready", client.isReady());

        // the dependency arrives (in code): beta becomes ready with its deps in declared order
        TrackedModule[] engine = new TrackedModule[1];
        FeatureBundle gamma = FeatureBundle.of("gamma", ModuleDefinition.of("gamma.engine", ctx -> {
            Tracked t = new Tracked("code", ctx);
            engine[0] = t;
            return t;
        }));
        assertEquals("gamma", await(client.addFeature(gamma), "addFeature(gamma)"));
        events.await(mark, ClientEvent.FEATURE_READY, "beta", TIMEOUT_S);
        TrackedModule betaWorker = tracked(client, "beta.worker");
        assertSame(client.module("service.storage").orElseThrow(), betaWorker.dependencies().get(0));
        assertSame(engine[0], betaWorker.dependencies().get(1));

        // and when it leaves again, beta goes back to pending
        mark = events.mark();
        client.removeFeature("gamma");
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "beta", TIMEOUT_S);
        assertTrue(betaWorker.awaitClosed(TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(client.diagnostics().describe(), FeatureState.PENDING, client.diagnostics().feature("beta").state());
    }

    @Test
    public void addFeatureWithAMissingDependencyTimesOutAndStaysPending() throws Exception {
        Client client = newClient(config("pending-2").featureTimeout(Duration.ofSeconds(1)).build(), List.of());
        awaitReady(client);
        FeatureBundle pend = FeatureBundle.of("pend",
                ModuleDefinition.of("pend.x", List.of("service.storage", "nowhere.module"), ctx -> new Tracked("code", ctx)));
        CompletableFuture<String> added = client.addFeature(pend);
        M800Exception e = awaitFailure(added, "addFeature(pend)");
        assertCode(ErrorCode.TIMEOUT, e);
        ClientDiagnostics d = client.diagnostics();
        assertEquals(d.describe(), FeatureState.PENDING, d.feature("pend").state());
        assertTrue(d.describe(), d.feature("pend").waitingFor().contains("nowhere.module"));
        assertEquals(d.describe(), List.of("nowhere.module"), d.module("pend.x").missing());
        assertTrue(client.isReady());
    }

    @Test
    public void aDependencyCycleIsReportedNotHungOn() throws Exception {
        Client client = readyClient("cycle-1");
        Events events = events(client);
        int mark = events.mark();
        FeatureBundle cycle = FeatureBundle.of("cyc",
                ModuleDefinition.of("cyc.a", List.of("cyc.b"), ctx -> new Tracked("code", ctx)),
                ModuleDefinition.of("cyc.b", List.of("service.storage", "cyc.c"), ctx -> new Tracked("code", ctx)),
                ModuleDefinition.of("cyc.c", List.of("cyc.a"), ctx -> new Tracked("code", ctx)));
        M800Exception failure = awaitFailure(client.addFeature(cycle), "addFeature(cyc)");
        assertCode(ErrorCode.DEPENDENCY_CYCLE, failure);
        for (String m : List.of("cyc.a", "cyc.b", "cyc.c")) {
            assertTrue("the failure names " + m + ": " + failure.getMessage(), failure.getMessage().contains(m));
        }
        M800Exception event = events.awaitError(mark, ErrorCode.DEPENDENCY_CYCLE, TIMEOUT_S);
        assertTrue("the ERROR event names the cycle: " + event.getMessage(), event.getMessage().contains("cyc.a"));

        ClientDiagnostics d = client.diagnostics();
        for (String m : List.of("cyc.a", "cyc.b", "cyc.c")) {
            assertNotNull(d.describe(), d.module(m));
            assertEquals(d.describe(), ModuleState.CYCLE, d.module(m).state());
            assertNotNull(d.describe(), d.module(m).error());
        }
        assertTrue(d.feature("cyc").state() != FeatureState.READY);
        assertEquals(0, events.count(mark, ClientEvent.FEATURE_READY, "cyc"));

        // the client and its other features keep working
        assertTrue(client.isReady());
        assertEquals("zeta", await(client.addFeature(FeatureBundle.of("zeta",
                ModuleDefinition.of("zeta.one", List.of("service.storage"), ctx -> new Tracked("code", ctx)))),
                "addFeature(zeta)"));
        client.removeFeature("cyc");
        ClientDiagnostics.FeatureStatus removed = client.diagnostics().feature("cyc");
        assertTrue("a removed feature is gone: " + removed, removed == null || removed.state() == FeatureState.UNAVAILABLE);
    }
}
