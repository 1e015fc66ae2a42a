package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.itest.api.Tracked;
import org.m800.sdk.itest.api.TrackedModule;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Programmatic overrides rank above every bundle; factories get their dependencies in declared order. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OverridesIT extends M800TestSupport {

    private static ModuleDefinition greeterOverride(String provider) {
        return ModuleDefinition.of("alpha.greeter", List.of("service.storage"), ctx -> new Tracked(provider, ctx));
    }

    @Test
    public void aConstructorOverrideBeatsEveryBundle() throws Exception {
        installAndStart(TestBundles.ALPHA);
        installAndStart(TestBundles.ALPHA_ALT);
        Client client = newClient(config("override-ctor").build(), List.of(greeterOverride("code-ctor")));
        Events events = events(client);
        awaitReady(client);
        events.await(0, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule greeter = tracked(client, "alpha.greeter");
        assertEquals("the constructor override wins over ranking 0 and 10", "code-ctor", greeter.provider());
        assertSame(client.module("service.storage").orElseThrow(), greeter.dependencies().get(0));

        // a bundle leaving does not disturb the override
        int mark = events.mark();
        org.osgi.framework.Bundle alt = bundle(TestBundles.ALPHA_ALT);
        alt.uninstall();
        waitUntil("the client drops the alternate provider",
                () -> providers(client, "alpha").stream().noneMatch(p -> p.contains("alpha.alt")), TIMEOUT_S);
        assertSame(greeter, tracked(client, "alpha.greeter"));
        assertFalse(greeter.isClosed());
        assertEquals(0, events.count(mark, ClientEvent.FEATURE_UNAVAILABLE, "alpha"));
    }

    @Test
    public void addFeatureOverridesBeatBundles() throws Exception {
        Client client = readyClient("override-add");
        Events events = events(client);
        int mark = events.mark();
        installAndStart(TestBundles.ALPHA);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule fromBundle = tracked(client, "alpha.greeter");

        FeatureBundle delta = FeatureBundle.of("delta",
                ModuleDefinition.of("delta.user", List.of("alpha.greeter"), ctx -> new Tracked("delta", ctx)));
        assertEquals("delta", await(client.addFeature(delta, List.of(greeterOverride("code-add"))), "addFeature(delta)"));
        TrackedModule override = tracked(client, "alpha.greeter");
        assertEquals("code-add", override.provider());
        assertTrue("the bundle's instance is closed", fromBundle.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        assertSame("delta.user got the override", override, tracked(client, "delta.user").dependencies().get(0));

        installAndStart(TestBundles.ALPHA_ALT);
        waitUntil("the client sees the ranking-10 alternate",
                () -> providers(client, "alpha").stream().anyMatch(p -> p.contains("alpha.alt")), TIMEOUT_S);
        assertSame("a ranking-10 bundle does not beat an addFeature override", override, tracked(client, "alpha.greeter"));
        assertFalse(override.isClosed());
    }

    @Test
    public void factoriesGetTheirDependenciesInDeclaredOrderAndCloseInReverse() throws Exception {
        Client client = readyClient("order-1");
        Events events = events(client);
        List<String> log = new CopyOnWriteArrayList<>();
        // listed out of dependency order on purpose
        FeatureBundle order = FeatureBundle.of("order",
                Recorded.definition("order.c", List.of("order.b", "service.storage", "order.a"), "code", log),
                Recorded.definition("order.a", List.of(), "code", log),
                Recorded.definition("order.b", List.of("order.a"), "code", log));
        assertEquals("order", await(client.addFeature(order), "addFeature(order)"));

        TrackedModule a = tracked(client, "order.a");
        TrackedModule b = tracked(client, "order.b");
        TrackedModule c = tracked(client, "order.c");
        Object storage = client.module("service.storage").orElseThrow();
        assertEquals(List.of("build order.a", "build order.b", "build order.c"), log);
        assertEquals(List.of(a), b.dependencies());
        assertEquals(3, c.dependencies().size());
        assertSame(b, c.dependencies().get(0));
        assertSame(storage, c.dependencies().get(1));
        assertSame(a, c.dependencies().get(2));
        assertSame(b, client.module("order.b", TrackedModule.class).orElseThrow());
        assertEquals(ClientDiagnostics.ModuleState.BUILT, client.diagnostics().module("order.c").state());

        log.clear();
        int mark = events.mark();
        client.removeFeature("order");
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "order", TIMEOUT_S);
        assertTrue(a.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals("closed in reverse build order", List.of("close order.c", "close order.b", "close order.a"), log);
        assertTrue(client.isReady());
    }

    private org.osgi.framework.Bundle bundle(String name) {
        org.osgi.framework.Bundle b = bundleContext.getBundle(TestBundles.location(name));
        if (b == null) {
            throw new AssertionError(name + " is not installed");
        }
        return b;
    }

    private static List<String> providers(Client client, String feature) {
        ClientDiagnostics.FeatureStatus status = client.diagnostics().feature(feature);
        return status == null ? Collections.emptyList() : status.providers();
    }
}
