package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.itest.api.TrackedModule;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.condition.Condition;

/** READY, late listeners, readiness conditions, closing, and clients side by side. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClientReadinessIT extends M800TestSupport {

    @Test
    public void readyFiresAndALateListenerIsToldAtOnce() throws Exception {
        Client client = newClient("ready-1");
        CompletableFuture<Client> ready = new CompletableFuture<>();
        try (Subscription s = client.on(ClientEvent.READY, ready::complete)) {
            assertSame(client, ready.get(TIMEOUT_S, TimeUnit.SECONDS));
        }
        assertTrue(client.isReady());
        assertTrue("core module service.storage is built", client.module("service.storage").isPresent());

        CompletableFuture<Client> late = new CompletableFuture<>();
        try (Subscription s = client.on(ClientEvent.READY, late::complete)) {
            assertSame("a READY listener added while ready is told at once", client, late.get(5, TimeUnit.SECONDS));
        }
        CompletableFuture<String> lateCore = new CompletableFuture<>();
        try (Subscription s = client.on(ClientEvent.FEATURE_READY, name -> {
            if (FeatureBundle.CORE.equals(name)) {
                lateCore.complete(name);
            }
        })) {
            assertEquals("a FEATURE_READY listener added later is told of core", FeatureBundle.CORE,
                    lateCore.get(5, TimeUnit.SECONDS));
        }

        ClientDiagnostics d = client.diagnostics();
        assertEquals("ready-1", d.clientId());
        assertTrue(d.ready());
        assertFalse(d.closed());
        assertEquals(d.describe(), ClientDiagnostics.FeatureState.READY, d.feature(FeatureBundle.CORE).state());
        assertEquals(d.describe(), ClientDiagnostics.ModuleState.BUILT, d.module("service.storage").state());
    }

    @Test
    public void listenersRunInOrderOnSdkThreadsNotOnFrameworkOrCallerThreads() throws Exception {
        Client client = readyClient("threads-1");
        Events events = events(client);
        int mark = events.mark();
        org.osgi.framework.Bundle alpha = installAndStart(TestBundles.ALPHA);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        int stopped = events.mark();
        alpha.stop();
        events.await(stopped, ClientEvent.FEATURE_UNAVAILABLE, "alpha", TIMEOUT_S);
        int restarted = events.mark();
        alpha.start();
        events.await(restarted, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        String test = Thread.currentThread().getName();
        java.util.List<String> alphaEvents = new java.util.ArrayList<>();
        for (Events.Entry e : events.since(mark)) {
            assertFalse("listener ran on the caller's thread: " + e, e.thread().equals(test));
            for (String framework : java.util.List.of("FelixStartLevel", "FelixDispatchQueue", "SCR Component Actor",
                    "CM Event Dispatcher", "CM Configuration Updater")) {
                assertFalse("listener ran on a framework thread: " + e + " on " + e.thread(),
                        e.thread().startsWith(framework));
            }
            if ("alpha".equals(e.payload())) {
                alphaEvents.add(e.event().name());
            }
        }
        assertEquals("in the order they happened", java.util.List.of("FEATURE_READY", "FEATURE_UNAVAILABLE", "FEATURE_READY"),
                alphaEvents);
    }

    /**
     * ModuleFactory's contract: factories and close() run synchronously, under the client's graph
     * lock, on the thread that caused the change (as Declarative Services activates components): the
     * thread that started or uninstalled the bundle, or the caller of create/addFeature/removeFeature.
     * So the instance exists when that call returns. Listeners are the ones that run on SDK threads.
     */
    @Test
    public void factoriesAndCloseRunOnTheThreadThatCausedTheChangeListenersDoNot() throws Exception {
        String caller = Thread.currentThread().getName();
        // create: a constructor override is built by the caller of create
        Client client = newClient(config("threads-2").build(),
                List.of(org.m800.sdk.core.ModuleDefinition.of("threads.probe",
                        ctx -> new org.m800.sdk.itest.api.Tracked("code", ctx))));
        TrackedModule probe = tracked(client, "threads.probe");
        assertEquals("built by the caller of create, before it returned", caller, probe.builtOn());
        awaitReady(client);
        Events events = events(client);

        // a bundle's arrival: built by the thread that started it, before start() returned
        int mark = events.mark();
        Bundle alpha = installAndStart(TestBundles.ALPHA);
        TrackedModule fromBundle = tracked(client, "alpha.greeter");
        assertEquals("built by the thread that started the bundle", caller, fromBundle.builtOn());
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);

        // its departure: closed by the thread that uninstalled it, before uninstall() returned
        int uninstalled = events.mark();
        alpha.uninstall();
        assertTrue("closed before uninstall() returned", fromBundle.isClosed());
        assertEquals(caller, fromBundle.closedOn());
        assertFalse(client.module("alpha.greeter").isPresent());
        events.await(uninstalled, ClientEvent.FEATURE_UNAVAILABLE, "alpha", TIMEOUT_S);

        // addFeature and removeFeature: the caller builds and closes
        int added = events.mark();
        CompletableFuture<String> eta = client.addFeature(FeatureBundle.of("eta",
                org.m800.sdk.core.ModuleDefinition.of("eta.one", ctx -> new org.m800.sdk.itest.api.Tracked("code", ctx))));
        TrackedModule fromCode = tracked(client, "eta.one");
        assertEquals("built by the caller of addFeature, before it returned", caller, fromCode.builtOn());
        assertEquals("eta", await(eta, "addFeature(eta)"));
        events.await(added, ClientEvent.FEATURE_READY, "eta", TIMEOUT_S);
        int removed = events.mark();
        client.removeFeature("eta");
        assertTrue("closed before removeFeature returned", fromCode.isClosed());
        assertEquals(caller, fromCode.closedOn());
        events.await(removed, ClientEvent.FEATURE_UNAVAILABLE, "eta", TIMEOUT_S);

        // close(): the caller closes every instance
        client.close();
        assertTrue(probe.isClosed());
        assertEquals(caller, probe.closedOn());

        // the listeners of all of it ran on SDK threads: neither the caller's nor a framework thread
        List<String> wrong = new java.util.ArrayList<>();
        for (Events.Entry e : events.since(mark)) {
            frameworkOrCaller(e.thread()).forEach(t -> wrong.add(e + " on " + t));
        }
        assertEquals("listeners run on SDK threads", List.of(), wrong);
        assertTrue(events.all().toString(), events.since(mark).size() >= 4);
    }

    /** @return why the thread is not an SDK thread: empty if it is fine */
    private static List<String> frameworkOrCaller(String thread) {
        List<String> wrong = new java.util.ArrayList<>();
        if (thread.equals(Thread.currentThread().getName())) {
            wrong.add("the caller's thread " + thread);
        }
        for (String framework : List.of("FelixStartLevel", "FelixDispatchQueue", "SCR Component Actor",
                "CM Event Dispatcher", "CM Configuration Updater")) {
            if (thread.startsWith(framework)) {
                wrong.add("the framework thread " + thread);
            }
        }
        return wrong;
    }

    @Test
    public void aListenerThatThrowsDoesNotStopTheOthers() throws Exception {
        Client client = readyClient("ready-throwing");
        CompletableFuture<Client> after = new CompletableFuture<>();
        try (Subscription bad = client.on(ClientEvent.READY, c -> {
            throw new IllegalStateException("listener fails on purpose");
        }); Subscription good = client.on(ClientEvent.READY, after::complete)) {
            assertSame(client, after.get(5, TimeUnit.SECONDS));
        }
        assertTrue(client.isReady());
    }

    @Test
    public void readinessConditionsAppearAndDisappear() throws Exception {
        Client client = readyClient("cond-1");
        Events events = events(client);
        String ready = "(&(" + Condition.CONDITION_ID + "=" + Client.CONDITION_READY + ")(" + Client.PROPERTY_CLIENT_ID
                + "=cond-1))";
        String alpha = "(&(" + Condition.CONDITION_ID + "=" + Client.CONDITION_FEATURE_PREFIX + "alpha)("
                + Client.PROPERTY_CLIENT_ID + "=cond-1))";
        assertNotNull(awaitService(Condition.class, ready));
        assertTrue("no alpha condition before alpha is installed", services(Condition.class, alpha).isEmpty());

        int mark = events.mark();
        Bundle bundle = installAndStart(TestBundles.ALPHA);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        assertNotNull(awaitService(Condition.class, alpha));

        mark = events.mark();
        bundle.uninstall();
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "alpha", TIMEOUT_S);
        waitUntil("the alpha condition leaves", () -> services(Condition.class, alpha).isEmpty(), TIMEOUT_S);
        assertEquals("the ready condition stays", 1, services(Condition.class, ready).size());

        client.close();
        waitUntil("the ready condition leaves", () -> services(Condition.class, ready).isEmpty(), TIMEOUT_S);
    }

    @Test
    public void closeTearsEverythingDown() throws Exception {
        Client client = readyClient("close-1");
        Events events = events(client);
        int mark = events.mark();
        installAndStart(TestBundles.ALPHA);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule greeter = tracked(client, "alpha.greeter");

        mark = events.mark();
        client.close();
        assertTrue(client.isClosed());
        assertTrue("alpha's instance is closed", greeter.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "alpha", TIMEOUT_S);
        assertFalse(client.isReady());
        assertFalse(clientFactory().clients().contains(client));
        client.close(); // idempotent
        assertEquals(1, greeter.closeCount());
        try {
            client.on(ClientEvent.READY, c -> { });
            fail("on() of a closed client must fail");
        } catch (M800Exception e) {
            assertCode(ErrorCode.ILLEGAL_STATE, e);
        }
    }

    @Test
    public void twoClientsGetSeparateModuleInstances() throws Exception {
        Client one = readyClient("two-1");
        Client two = readyClient("two-2");
        Events e1 = events(one);
        Events e2 = events(two);
        int m1 = e1.mark();
        int m2 = e2.mark();
        installAndStart(TestBundles.ALPHA);
        e1.await(m1, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        e2.await(m2, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);

        TrackedModule g1 = tracked(one, "alpha.greeter");
        TrackedModule g2 = tracked(two, "alpha.greeter");
        assertNotSame(g1, g2);
        assertEquals("two-1", g1.clientId());
        assertEquals("two-2", g2.clientId());
        Object s1 = one.module("service.storage").orElseThrow();
        Object s2 = two.module("service.storage").orElseThrow();
        assertNotSame("each client has its own storage", s1, s2);
        assertSame(s1, g1.dependencies().get(0));
        assertSame(s2, g2.dependencies().get(0));
        assertTrue(clientFactory().clients().contains(one));
        assertTrue(clientFactory().clients().contains(two));

        // closing one leaves the other alone
        one.close();
        assertTrue(g1.awaitClosed(TIMEOUT_S, TimeUnit.SECONDS));
        assertFalse(g2.isClosed());
        assertTrue(two.isReady());
        assertSame(g2, tracked(two, "alpha.greeter"));
    }

    @Test
    public void aDuplicateClientIdIsRefused() throws Exception {
        readyClient("dup-1");
        try {
            newClient("dup-1");
            fail("a second open client with the same id must be refused");
        } catch (M800Exception e) {
            assertCode(ErrorCode.INVALID_ARGUMENT, e);
            assertTrue(e.getMessage(), e.getMessage().contains("dup-1"));
        }
    }
}
