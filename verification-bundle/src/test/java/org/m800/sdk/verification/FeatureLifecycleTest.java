package org.m800.sdk.verification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.verification.VerificationFixture.failure;
import static org.m800.sdk.verification.VerificationFixture.get;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.verification.internal.VerificationFeature;
import org.m800.server.ApplicationRegistration;
import org.m800.server.VerificationSettings;

/**
 * The feature added to a running client fires FEATURE_READY("verification"); removed while a call
 * is pending, the call fails with a clear error and the client keeps working.
 */
public class FeatureLifecycleTest {

    /** A gateway that holds every delivery until the test releases it: keeps start() pending. */
    private static final HttpServer GATEWAY;
    private static final CountDownLatch ARRIVED = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    static {
        try {
            GATEWAY = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        GATEWAY.createContext("/sms", exchange -> {
            ARRIVED.countDown();
            try {
                RELEASE.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        GATEWAY.start();
    }

    private static final ApplicationRegistration SLOW = new ApplicationRegistration("dev.m800", "org.m800.slow",
            "slow-key", "slow-secret", "dev-developer", VerificationSettings.builder()
                    .gateway(new VerificationSettings.Gateway(URI.create("http://127.0.0.1:"
                            + GATEWAY.getAddress().getPort() + "/sms"), null, null, null, Map.of(), null, null, null))
                    .build());

    private final TemporaryFolder temp = new TemporaryFolder();
    private final VerificationFixture fx = new VerificationFixture(temp, SLOW);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @After
    public void release() {
        RELEASE.countDown();
        GATEWAY.stop(0);
    }

    @Test
    public void addedToARunningClientItBecomesReadyAndRemovedMidSessionItFailsPendingCallsOnly() throws Exception {
        Client c = fx.factoryWithoutVerification().create(VerificationFixture.app("slow-key", "slow-secret"),
                fx.config("hot-1"));
        fx.track(c);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.READY, x -> ready.countDown());
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        assertTrue(c.module(VerificationManager.class).isEmpty());

        CompletableFuture<String> featureReady = new CompletableFuture<>();
        CompletableFuture<String> featureGone = new CompletableFuture<>();
        Subscription onReady = c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(VerificationManager.MODULE)) {
                featureReady.complete(name);
            }
        });
        Subscription onGone = c.on(ClientEvent.FEATURE_UNAVAILABLE, name -> {
            if (name.equals(VerificationManager.MODULE)) {
                featureGone.complete(name);
            }
        });
        try {
            assertEquals("verification", get(c.addFeature(new VerificationFeature())));
            assertEquals("verification", get(featureReady));
            VerificationManager v = c.require(VerificationManager.class);

            CompletableFuture<VerificationSession> pending = v.start("+447400123456", VerificationMethod.SMS);
            assertTrue("the gateway was not called", ARRIVED.await(10, TimeUnit.SECONDS));
            assertFalse(pending.isDone());

            c.removeFeature(VerificationManager.MODULE);
            VerificationException removed = failure(pending);
            assertEquals(ErrorCode.FEATURE_UNAVAILABLE, removed.code());
            assertEquals(VerificationError.FEATURE_REMOVED, removed.error());
            assertTrue(removed.getMessage(), removed.getMessage().contains("verification feature was removed"));
            assertEquals("verification", get(featureGone));
            assertTrue(c.module(VerificationManager.class).isEmpty());
            VerificationException later = failure(v.start("+447400123456", VerificationMethod.SMS));
            assertEquals(VerificationError.FEATURE_REMOVED, later.error());
            RELEASE.countDown();

            // the client keeps working, and the feature can come back
            assertEquals("carol", get(c.require(AccountManager.class).signUp("carol", "correct horse", null)).username());
            assertEquals("verification", get(c.addFeature(new VerificationFeature())));
            VerificationSession s = get(c.require(VerificationManager.class).start("+447400123457", VerificationMethod.SMS));
            assertEquals(VerificationStatus.SENT, s.status());
        } finally {
            onReady.close();
            onGone.close();
        }
    }
}
