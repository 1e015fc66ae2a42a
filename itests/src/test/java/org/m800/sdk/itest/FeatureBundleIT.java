package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDiagnostics;
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
import org.osgi.framework.Bundle;

/** Feature bundles coming, going, being replaced by a higher-ranked alternate, and failing. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureBundleIT extends M800TestSupport {

    @Test
    public void installingFiresFeatureReadyAndStoppingAndUninstallingFireUnavailable() throws Exception {
        Client client = readyClient("feature-1");
        Events events = events(client);

        int mark = events.mark();
        Bundle alpha = installAndStart(TestBundles.ALPHA);
        assertEquals("alpha", events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S));
        TrackedModule first = tracked(client, "alpha.greeter");
        assertEquals("alpha", first.provider());
        assertEquals("feature-1", first.clientId());
        assertSame("alpha.greeter gets service.storage", client.module("service.storage").orElseThrow(),
                first.dependencies().get(0));
        assertEquals(ClientDiagnostics.FeatureState.READY, client.diagnostics().feature("alpha").state());

        mark = events.mark();
        alpha.stop();
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "alpha", TIMEOUT_S);
        assertTrue("stopping the bundle closes its instance", first.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals(1, first.closeCount());
        assertFalse(client.module("alpha.greeter").isPresent());
        assertNotReady(client, "alpha");

        mark = events.mark();
        alpha.start();
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule second = tracked(client, "alpha.greeter");
        assertNotSame(first, second);

        mark = events.mark();
        alpha.uninstall();
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "alpha", TIMEOUT_S);
        assertTrue("uninstalling the bundle closes its instance", second.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals(1, second.closeCount());
        assertFalse(client.module("alpha.greeter").isPresent());
        assertNotReady(client, "alpha");
        assertTrue("the client stays ready", client.isReady());
    }

    @Test
    public void aHigherRankedAlternateReplacesTheModuleAndTheDefaultComesBack() throws Exception {
        Client client = readyClient("rank-1");
        Events events = events(client);
        int mark = events.mark();
        installAndStart(TestBundles.ALPHA);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule standard = tracked(client, "alpha.greeter");
        assertEquals("alpha", standard.provider());

        mark = events.mark();
        Bundle alternate = installAndStart(TestBundles.ALPHA_ALT);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule replacement = tracked(client, "alpha.greeter");
        assertEquals("the ranking-10 bundle wins", "alpha-alt", replacement.provider());
        assertTrue("the replaced instance is closed", standard.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals(1, standard.closeCount());

        mark = events.mark();
        alternate.uninstall();
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule back = tracked(client, "alpha.greeter");
        assertEquals("the default comes back", "alpha", back.provider());
        assertNotSame(standard, back);
        assertTrue("the alternate's instance is closed", replacement.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals(1, replacement.closeCount());
        assertTrue(client.isReady());
    }

    @Test
    public void aLowerRankedBundleArrivingLaterDoesNotReplace() throws Exception {
        Client client = readyClient("rank-2");
        Events events = events(client);
        int mark = events.mark();
        installAndStart(TestBundles.ALPHA_ALT);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule alternate = tracked(client, "alpha.greeter");
        assertEquals("alpha-alt", alternate.provider());

        installAndStart(TestBundles.ALPHA);
        // sync point: the client has seen the second provider
        waitUntil("the client lists both providers of alpha", () -> providers(client, "alpha").size() >= 2, TIMEOUT_S);
        assertSame("the ranking-0 bundle does not replace the ranking-10 one", alternate,
                tracked(client, "alpha.greeter"));
        assertFalse(alternate.isClosed());
    }

    @Test
    public void addFeatureByLocationInstallsTheBundleAndRemoveFeatureUninstallsIt() throws Exception {
        Client client = readyClient("location-1");
        Events events = events(client);
        String location = TestBundles.location(TestBundles.ALPHA);
        uninstallAfterTest(location);

        assertEquals("alpha", await(client.addFeature(location), "addFeature(" + location + ")"));
        Bundle bundle = bundleContext.getBundle(location);
        assertNotNull("the bundle is installed", bundle);
        assertEquals(Bundle.ACTIVE, bundle.getState());
        TrackedModule greeter = tracked(client, "alpha.greeter");

        int mark = events.mark();
        client.removeFeature("alpha");
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "alpha", TIMEOUT_S);
        assertTrue(greeter.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        assertNull("removeFeature uninstalls a bundle the client installed", bundleContext.getBundle(location));

        try {
            client.removeFeature("alpha");
            throw new AssertionError("removing an unknown feature must fail");
        } catch (M800Exception e) {
            assertCode(ErrorCode.NOT_FOUND, e);
        }
        try {
            client.removeFeature(FeatureBundle.CORE);
            throw new AssertionError("removing core must fail");
        } catch (M800Exception e) {
            assertCode(ErrorCode.INVALID_ARGUMENT, e);
        }
    }

    @Test
    public void aJarThatIsNotABundleIsRejectedAndTheClientKeepsWorking() throws Exception {
        Client client = readyClient("bad-jar-1");
        for (String name : List.of(TestBundles.NOT_A_BUNDLE, TestBundles.NOT_A_JAR)) {
            String location = TestBundles.location(name);
            uninstallAfterTest(location);
            M800Exception e = failureOf(() -> client.addFeature(location), "addFeature(" + name + ")");
            assertCode(ErrorCode.INVALID_ARGUMENT, e);
            assertTrue("the message names the jar: " + e.getMessage(), e.getMessage().contains(name));
            assertNull("a rejected jar does not stay installed", bundleContext.getBundle(location));
        }
        assertTrue(client.isReady());
        String alpha = TestBundles.location(TestBundles.ALPHA);
        uninstallAfterTest(alpha);
        assertEquals("alpha", await(client.addFeature(alpha), "addFeature(alpha) after the bad jars"));
        assertFalse(tracked(client, "alpha.greeter").isClosed());
    }

    @Test
    public void aFactoryThatThrowsIsReportedAndOtherFeaturesKeepWorking() throws Exception {
        Client client = readyClient("broken-1");
        Events events = events(client);
        int mark = events.mark();
        installAndStart(TestBundles.ALPHA);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule greeter = tracked(client, "alpha.greeter");

        mark = events.mark();
        String location = TestBundles.location(TestBundles.BROKEN);
        uninstallAfterTest(location);
        M800Exception failure = failureOf(() -> client.addFeature(location), "addFeature(broken)");
        assertCode(ErrorCode.MODULE_FAILED, failure);
        assertTrue("the failure names the module: " + failure.getMessage(), failure.getMessage().contains("broken.module"));
        M800Exception event = events.awaitError(mark, ErrorCode.MODULE_FAILED, TIMEOUT_S);
        assertTrue("the ERROR event names the module: " + event.getMessage(), event.getMessage().contains("broken.module"));

        ClientDiagnostics.ModuleStatus status = client.diagnostics().module("broken.module");
        assertNotNull(client.diagnostics().describe(), status);
        assertEquals(ClientDiagnostics.ModuleState.FAILED, status.state());
        assertNotNull(status.error());
        assertEquals(0, events.count(mark, ClientEvent.FEATURE_READY, "broken"));

        assertTrue(client.isReady());
        assertSame("alpha is untouched", greeter, tracked(client, "alpha.greeter"));
        assertFalse(greeter.isClosed());
        assertEquals("a feature added after the failure works", "epsilon", await(client.addFeature(FeatureBundle.of(
                "epsilon", ModuleDefinition.of("epsilon.one", ctx -> new Tracked("code", ctx)))), "addFeature(epsilon)"));
    }

    private static List<String> providers(Client client, String feature) {
        ClientDiagnostics.FeatureStatus status = client.diagnostics().feature(feature);
        return status == null ? List.of() : status.providers();
    }

    private static void assertNotReady(Client client, String feature) {
        ClientDiagnostics.FeatureStatus status = client.diagnostics().feature(feature);
        assertTrue("feature " + feature + " is not ready: " + status,
                status == null || status.state() != ClientDiagnostics.FeatureState.READY);
    }

    /**
     * The failure of an SDK call that returns a future; a call that throws at once (before returning
     * a future) is accepted as well, since both tell the caller.
     */
    static M800Exception failureOf(Supplier<CompletableFuture<?>> call, String what) throws Exception {
        CompletableFuture<?> future;
        try {
            future = call.get();
        } catch (M800Exception e) {
            return e;
        }
        return awaitFailure(future, what);
    }
}
