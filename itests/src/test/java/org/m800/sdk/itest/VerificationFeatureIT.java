package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.HttpService;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Profile;
import org.m800.sdk.itest.api.TrackedModule;
import org.m800.sdk.verification.VerificationError;
import org.m800.sdk.verification.VerificationEvent;
import org.m800.sdk.verification.VerificationException;
import org.m800.sdk.verification.VerificationListener;
import org.m800.sdk.verification.VerificationManager;
import org.m800.sdk.verification.VerificationMethod;
import org.m800.sdk.verification.VerificationSession;
import org.m800.sdk.verification.VerificationStatus;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The verification bundle of the reactor hot-installed into a running framework whose client is
 * connected to the real reference server (outer JVM): FEATURE_READY("verification"), a real SMS
 * verification whose code comes from the server's development outbox (docs/protocol.md 11.7) and
 * whose proof signs a user up; then the bundle uninstalled while a check is in flight: the check
 * fails with FEATURE_UNAVAILABLE / FEATURE_REMOVED, FEATURE_UNAVAILABLE("verification") fires, what
 * is left of the feature refuses clearly, nothing of the bundle keeps running (service listeners,
 * threads), and the client (connection, account, another feature) keeps working.
 *
 * <p>The client reaches the verification server through a {@link HoldingProxy}, which keeps the
 * check pending (the server has not seen it) until the bundle is gone.
 *
 * <p>The framework starts without the verification API, which the probe imports dynamically once the
 * bundle is installed: the test class itself names none of its types; the nested classes that do are
 * loaded only after the installation.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class VerificationFeatureIT extends ServerTestSupport {

    /** The reactor's verification bundle, as copied to target/bundles by the build. */
    private static final String VERIFICATION_BUNDLE = "verification-bundle";
    private static final String FEATURE = "verification";
    /** UK mobile numbers (valid for SMS), one per session: the server limits codes per number. */
    private static final String FIRST_NUMBER = "+44 7400 123401";
    private static final String SECOND_NUMBER = "+447400123402";

    @Test
    public void hotInstalledItVerifiesANumberAndUninstalledMidCheckItFailsTheCallAndTheClientGoesOn()
            throws Exception {
        HoldingProxy proxy = afterTest(new HoldingProxy(java.net.URI.create(httpServer())));
        Client client = newClient(serverConfig("verify-1").verificationServers(proxy.uri().toString()).build(),
                List.of());
        awaitReady(client);
        Events events = events(client);
        Profile vera = signUpAndConnect(client, "vera");
        ConnectService connect = client.require(ConnectService.class);
        AccountManager account = client.require(AccountManager.class);
        // another feature, which must not notice the verification feature coming and going
        int mark = events.mark();
        installAndStart(TestBundles.ALPHA);
        events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        TrackedModule alpha = tracked(client, "alpha.greeter");
        assertFalse("no verification before its bundle", client.module(FEATURE).isPresent());

        // hot install: the running client gets the feature
        mark = events.mark();
        Bundle bundle = installReactorBundle(VERIFICATION_BUNDLE);
        ServiceListenerCounter bundleListeners = afterTest(new ServiceListenerCounter(bundleContext, bundle));
        bundle.start();
        assertEquals(FEATURE, events.await(mark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S));
        assertEquals(1, events.count(mark, ClientEvent.FEATURE_READY, FEATURE));
        assertEquals(ClientDiagnostics.FeatureState.READY, client.diagnostics().feature(FEATURE).state());
        assertTrue("the bundle's components follow services with listeners of the bundle", bundleListeners.count() > 0);
        // everything that names a type of the verification API happens in a class loaded from here on
        new WithTheFeature(client, proxy, events, bundle).verifyThenLoseTheBundle();

        // nothing of the bundle is left running
        assertEquals("service listeners of the uninstalled bundle", 0, bundleListeners.count());
        waitUntil("no thread runs verification code", () -> threadsIn("org.m800.sdk.verification.").isEmpty(),
                TIMEOUT_S);

        // the client goes on: connected, logged in, its account and the other feature work
        assertTrue(client.isReady());
        assertEquals(ConnectionState.CONNECTED, connect.state());
        assertEquals(vera.userId(), account.profile().orElseThrow().userId());
        assertEquals("at work", await(account.updateProfile(null, "at work"), "updateProfile").statusMessage());
        assertEquals("at work", await(account.fetchProfile(), "fetchProfile").statusMessage());
        assertEquals(ClientDiagnostics.FeatureState.READY, client.diagnostics().feature("alpha").state());
        assertTrue("alpha.greeter is the same instance", alpha == tracked(client, "alpha.greeter"));
        assertFalse(alpha.isClosed());
    }

    /**
     * The part of the test that uses the verification API, in a class of its own: the byte-code
     * verifier loads the API's types when it checks a class, and the probe can import them only once
     * the bundle is installed. Loaded when the test creates it.
     */
    private final class WithTheFeature {
        private final Client client;
        private final HoldingProxy proxy;
        private final Events events;
        private final Bundle bundle;

        WithTheFeature(Client client, HoldingProxy proxy, Events events, Bundle bundle) {
            this.client = client;
            this.proxy = proxy;
            this.events = events;
            this.bundle = bundle;
        }

        void verifyThenLoseTheBundle() throws Exception {
            VerificationManager verification = client.require(VerificationManager.class);
            assertTrue("the module comes from the installed bundle",
                    bundle.equals(org.osgi.framework.FrameworkUtil.getBundle(verification.getClass())));

            // a real verification by SMS: the code from the server's development outbox
            VerificationSession first = await(verification.start(FIRST_NUMBER, VerificationMethod.SMS, Locale.UK),
                    "start(" + FIRST_NUMBER + ")");
            assertEquals("normalised to E.164", "+447400123401", first.phoneNumber());
            assertEquals(VerificationMethod.SMS, first.method());
            assertEquals("the outbox delivers at once", VerificationStatus.DELIVERED, first.status());
            Recorder<Object> firstStatuses = new Recorder<>("status of the first session");
            afterTest(first.addListener(new StatusRecorder(firstStatuses)));
            String code = outboxCode(client, first.id(), first.phoneNumber());
            assertEquals(first.codeLength(), code.length());
            assertTrue(code, code.chars().allMatch(Character::isDigit));
            M800Exception wrong = awaitFailure(first.check(wrongCode(code)), "check of a wrong code");
            assertCode(ErrorCode.UNAUTHORIZED, wrong);
            assertEquals(VerificationError.WRONG_CODE, ((VerificationException) wrong).error());
            assertEquals(4, ((VerificationException) wrong).attemptsLeft());
            String proof = await(first.check(code), "check of the code from the outbox");
            assertEquals("a proof is 256 bits in base64url", 43, proof.length());
            assertEquals(VerificationStatus.VERIFIED, first.status());
            assertEquals(proof, first.proof().orElseThrow());
            firstStatuses.await(0, "VERIFIED", s -> s == VerificationStatus.VERIFIED, TIMEOUT_S);
            assertEquals("told at once, then the change", List.of(VerificationStatus.DELIVERED, VerificationStatus.VERIFIED),
                    firstStatuses.valuesSince(0));
            assertTrue("a verified session is not open any more", verification.sessions().isEmpty());

            // the proof is real: the server takes it for a sign-up, once
            Client second = serverClient("verify-2");
            Profile verified = await(second.require(AccountManager.class).signUp("verity", PASSWORD, null, proof),
                    "signUp with the proof");
            assertEquals("verity", verified.username());
            Client third = serverClient("verify-3");
            assertCode(ErrorCode.UNAUTHORIZED, awaitFailure(
                    third.require(AccountManager.class).signUp("verity2", PASSWORD, null, proof), "a second signUp with it"));

            // a second session; its check is in flight (held by the proxy) when the bundle goes
            VerificationSession pendingSession = await(verification.start(SECOND_NUMBER, VerificationMethod.SMS),
                    "start(" + SECOND_NUMBER + ")");
            String secondCode = outboxCode(client, pendingSession.id(), pendingSession.phoneNumber());
            proxy.hold();
            CompletableFuture<String> pendingCheck = pendingSession.check(secondCode);
            proxy.awaitHeld(TIMEOUT_S);
            assertFalse("the check waits for the server", pendingCheck.isDone());
            assertEquals(List.of(pendingSession), verification.sessions());

            int mark = events.mark();
            bundle.uninstall();
            events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
            M800Exception removed = awaitFailure(pendingCheck, "the check pending when the bundle left");
            assertCode(ErrorCode.FEATURE_UNAVAILABLE, removed);
            assertTrue("a VerificationException: " + removed, removed instanceof VerificationException);
            assertEquals(VerificationError.FEATURE_REMOVED, ((VerificationException) removed).error());
            assertTrue(removed.getMessage(), removed.getMessage().contains("verification feature was removed")
                    && removed.getMessage().contains("verify-1") && removed.getMessage().contains("pending"));
            // the released request may now reach the server; its late answer changes nothing
            proxy.release();

            // the feature is gone from the client, and what is left of it refuses clearly
            assertFalse(client.module(FEATURE).isPresent());
            assertTrue(client.module(VerificationManager.class).isEmpty());
            ClientDiagnostics.FeatureStatus gone = client.diagnostics().feature(FEATURE);
            assertTrue("not READY any more: " + gone, gone == null || gone.state() != ClientDiagnostics.FeatureState.READY);
            assertCode(ErrorCode.FEATURE_UNAVAILABLE, thrown(() -> client.require(VerificationManager.class)));
            // an operation fails its future, it does not throw (core API 1.2)
            M800Exception refresh = failedAtOnce(pendingSession::refresh);
            assertCode(ErrorCode.FEATURE_UNAVAILABLE, refresh);
            assertEquals(VerificationError.FEATURE_REMOVED, ((VerificationException) refresh).error());
            M800Exception start = failedAtOnce(new StartAgain(verification));
            assertEquals(VerificationError.FEATURE_REMOVED, ((VerificationException) start).error());
            assertEquals("no other event than FEATURE_UNAVAILABLE(verification): " + events.since(mark), 1,
                    events.since(mark).size());
            assertEquals(ConnectionState.CONNECTED, second.require(ConnectService.class).state());
        }
    }

    /** Installs a bundle of the reactor (copied to target/bundles); uninstalled after the test if still there. */
    private Bundle installReactorBundle(String artifactId) throws Exception {
        Bundle bundle = bundleContext.installBundle(TestBundles.runtimeLocation(artifactId));
        afterTest(() -> {
            if (bundle.getState() != Bundle.UNINSTALLED) {
                bundle.uninstall();
            }
        });
        return bundle;
    }

    /** The code the server's development outbox recorded for the session (a loopback-only, app-signed call). */
    @SuppressWarnings("unchecked")
    private static String outboxCode(Client client, String sessionId, String phoneNumber) throws Exception {
        Map<String, Object> answer = await(client.require(HttpService.class).post(HttpService.Endpoint.VERIFICATION,
                "/v1/verification/outbox", Map.of("phoneNumber", phoneNumber, "limit", 20), null, null),
                "the development outbox");
        for (Object o : (List<Object>) answer.get("deliveries")) {
            Map<String, Object> delivery = (Map<String, Object>) o;
            if (sessionId.equals(delivery.get("sessionId"))) {
                assertEquals(phoneNumber, delivery.get("phoneNumber"));
                assertEquals("SMS", delivery.get("method"));
                String code = (String) delivery.get("code");
                assertNotNull("the outbox shows the code", code);
                return code;
            }
        }
        throw new AssertionError("the outbox has no delivery for session " + sessionId + ": " + answer);
    }

    private static String wrongCode(String code) {
        char last = code.charAt(code.length() - 1);
        String wrong = code.substring(0, code.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
        assertNotEquals(code, wrong);
        return wrong;
    }

    /** @return the threads with a frame of a class of that package prefix on their stacks */
    private static List<String> threadsIn(String packagePrefix) {
        List<String> found = new java.util.ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith(packagePrefix)) {
                    found.add(t.getName() + " in " + frame);
                    break;
                }
            }
        });
        return found;
    }

    /** A call that must return a future already failed with an M800Exception. */
    private static M800Exception failedAtOnce(ThrowingCall call) throws Exception {
        Object result = call.call();
        if (result instanceof java.util.concurrent.CompletableFuture<?> f && f.isCompletedExceptionally()) {
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof M800Exception m) {
                    return m;
                }
            }
        }
        throw new AssertionError("expected a future failed with an M800Exception, got " + result);
    }

    /** A call that must throw an M800Exception at once. */
    private static M800Exception thrown(ThrowingCall call) throws Exception {
        try {
            Object result = call.call();
            throw new AssertionError("expected an M800Exception, got " + result);
        } catch (M800Exception e) {
            return e;
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        Object call() throws Exception;
    }

    /*
     * Members of this class must not name a type of the verification API in their signatures (lambdas
     * included): JUnit reads them before the bundle is installed. The nested classes below are loaded
     * only once it is.
     */

    /** Records the statuses a session reports. */
    private static final class StatusRecorder implements VerificationListener {
        private final Recorder<Object> statuses;

        StatusRecorder(Recorder<Object> statuses) {
            this.statuses = statuses;
        }

        @Override
        public void onStatus(VerificationEvent event) {
            statuses.accept(event.status());
        }
    }

    /** Starts a session with a manager whose feature is gone. */
    private static final class StartAgain implements ThrowingCall {
        private final VerificationManager verification;

        StartAgain(VerificationManager verification) {
            this.verification = verification;
        }

        @Override
        public Object call() {
            return verification.start("+447400123403", VerificationMethod.SMS);
        }
    }
}
