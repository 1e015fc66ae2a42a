package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.core.ServerFixture.awaitState;
import static org.m800.sdk.core.ServerFixture.get;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/** The connection against the real reference server: fail-over, reconnect, resume, many requests. */
public class ConnectIntegrationTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ServerFixture fx = new ServerFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void deadFirstServerIsSkipped() throws Exception {
        URI dead = URI.create("ws://127.0.0.1:" + FreePort.find() + "/v1/im");
        ClientConfig config = fx.config("failover").imServers(List.of(dead, fx.server().imUri())).build();
        Client c = fx.open(config);
        get(c.require(AccountManager.class).signUp("frank", "franks-password", null));
        awaitState(c, ConnectionState.CONNECTED);
        assertEquals("frank", get(c.require(AccountManager.class).fetchProfile()).username());
    }

    @Test
    public void anAccessTokenThatCannotBeHadForAWhileIsAskedForAgainWithBackOff() throws Exception {
        Client c = fx.open(fx.config("token-outage").build());
        Map<String, Object> tokens = get(c.require(HttpService.class).post(HttpService.Endpoint.SIGN_UP,
                "/v1/accounts/signup", Map.of("username", "ivan", "password", "ivans-password"), null, null));
        String accessToken = (String) tokens.get("accessToken");
        String userId = (String) ((Map<?, ?>) tokens.get("profile")).get("userId");
        ConnectService connect = c.require(ConnectService.class);
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        connect.onStateChange(e -> {
            if (e.oldState() != e.newState()) { // not the current state told at once
                states.add(e.newState());
            }
        });
        AtomicInteger asked = new AtomicInteger();
        // as when the sign-up servers are down or refuse more work: the token cannot be had three times
        connect.start(new ConnectService.Authenticator() {
            @Override
            public String userId() {
                return userId;
            }

            @Override
            public CompletableFuture<String> accessToken(boolean refresh) {
                return asked.incrementAndGet() <= 3
                        ? CompletableFuture.failedFuture(new M800Exception(ErrorCode.NETWORK, "sign-up servers unreachable"))
                        : CompletableFuture.completedFuture(accessToken);
            }
        });
        awaitState(c, ConnectionState.CONNECTED);
        assertEquals(4, asked.get());
        assertEquals(userId, connect.userId());
        assertTrue("waited between attempts: " + states, states.contains(ConnectionState.WAITING));
        assertFalse("never gave up: " + states, states.contains(ConnectionState.DISCONNECTED));
        assertEquals(Map.of("username", "ivan"), Map.of("username", get(connect.request("profile.get", Map.of()))
                .get("username")));
    }

    @Test
    public void aRefusedAccessTokenStopsTheConnection() throws Exception {
        Client c = fx.open(fx.config("token-refused").build());
        ConnectService connect = c.require(ConnectService.class);
        CompletableFuture<ConnectionStateEvent> stopped = new CompletableFuture<>();
        connect.onStateChange(e -> {
            if (e.newState() == ConnectionState.DISCONNECTED && e.oldState() != ConnectionState.DISCONNECTED) {
                stopped.complete(e);
            }
        });
        connect.start(new ConnectService.Authenticator() {
            @Override
            public String userId() {
                return "u-nobody";
            }

            @Override
            public CompletableFuture<String> accessToken(boolean refresh) {
                return CompletableFuture.failedFuture(new M800Exception(ErrorCode.UNAUTHORIZED, "refresh token revoked"));
            }
        });
        assertTrue(get(stopped).reason(), get(stopped).reason().contains("refresh token revoked"));
    }

    @Test
    public void thousandRequestsOverOneConnectionAreAllAnswered() throws Exception {
        Client c = fx.open(fx.config("busy").build());
        get(c.require(AccountManager.class).signUp("grace", "graces-password", null));
        awaitState(c, ConnectionState.CONNECTED);
        ConnectService connect = c.require(ConnectService.class);
        List<CompletableFuture<Map<String, Object>>> answers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            answers.add(connect.request("profile.get", Map.of()));
        }
        for (CompletableFuture<Map<String, Object>> a : answers) {
            assertEquals("grace", a.get(30, TimeUnit.SECONDS).get("username"));
        }
    }

    @Test
    public void serverRestartIsSurvivedWithNoMissedAndNoRepeatedEvent() throws Exception {
        // two devices of one user: B changes the profile, A receives profile.updated events
        Client a = fx.open(fx.config("device-a").build());
        get(a.require(AccountManager.class).signUp("heidi", "heidis-password", null));
        awaitState(a, ConnectionState.CONNECTED);
        Client b = fx.open(fx.config("device-b").build());
        get(b.require(AccountManager.class).logIn("heidi", "heidis-password"));
        awaitState(b, ConnectionState.CONNECTED);

        List<Long> seqs = new CopyOnWriteArrayList<>();
        List<String> statuses = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(40);
        a.require(NotificationService.class).subscribe("profile.updated", e -> {
            seqs.add(e.seq());
            statuses.add(String.valueOf(e.data().get("statusMessage")));
            all.countDown();
        });
        AccountManager bAccount = b.require(AccountManager.class);
        for (int i = 0; i < 20; i++) {
            get(bAccount.updateProfile(null, "s" + i));
        }
        fx.restart();
        // B's requests wait in its queue until it is connected again
        List<CompletableFuture<Profile>> later = new ArrayList<>();
        for (int i = 20; i < 40; i++) {
            later.add(bAccount.updateProfile(null, "s" + i));
        }
        for (CompletableFuture<Profile> f : later) {
            get(f);
        }
        assertTrue("got " + statuses, all.await(20, TimeUnit.SECONDS));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("s" + i);
        }
        assertEquals(expected, statuses);
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals("seq must grow by one: " + seqs, seqs.get(i - 1) + 1, (long) seqs.get(i));
        }
        assertEquals(ConnectionState.CONNECTED, a.require(ConnectService.class).state());
    }

    @Test
    public void eventsMissedWhileTheClientWasClosedAreDeliveredOnRestart() throws Exception {
        ClientConfig configA = fx.config("resume-a").build();
        Client a = fx.open(configA);
        get(a.require(AccountManager.class).signUp("ivan", "ivans-password", null));
        awaitState(a, ConnectionState.CONNECTED);
        Client b = fx.open(fx.config("resume-b").build());
        get(b.require(AccountManager.class).logIn("ivan", "ivans-password"));
        awaitState(b, ConnectionState.CONNECTED);

        CountDownLatch first = new CountDownLatch(3);
        a.require(NotificationService.class).subscribe("profile.updated", e -> first.countDown());
        for (int i = 0; i < 3; i++) {
            get(b.require(AccountManager.class).updateProfile(null, "before" + i));
        }
        assertTrue(first.await(10, TimeUnit.SECONDS));
        a.close();
        for (int i = 0; i < 3; i++) {
            get(b.require(AccountManager.class).updateProfile(null, "while-closed" + i));
        }
        List<String> heard = new CopyOnWriteArrayList<>();
        CountDownLatch missed = new CountDownLatch(3);
        // a new client on A's data folder: logged in again, resumes after the last event A processed
        // the listener is a module built before the account (names are built in order), so it cannot miss a replay
        ModuleDefinition listener = ModuleDefinition.of("aa.listener", List.of(NotificationService.MODULE),
                ctx -> ctx.dependency(NotificationService.MODULE, NotificationService.class).subscribe("profile.updated",
                        e -> {
                            heard.add(String.valueOf(e.data().get("statusMessage")));
                            missed.countDown();
                        }));
        Client again = ClientFactory.standalone().create(ServerFixture.DEV_APP, configA, List.of(listener));
        try {
            assertTrue("heard " + heard, missed.await(15, TimeUnit.SECONDS));
            assertEquals(List.of("while-closed0", "while-closed1", "while-closed2"), heard);
        } finally {
            again.close();
        }
    }

    static final class FreePort {
        static int find() throws java.io.IOException {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
