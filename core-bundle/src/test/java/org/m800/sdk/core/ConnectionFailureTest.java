package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.core.ServerFixture.awaitState;
import static org.m800.sdk.core.ServerFixture.get;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * A connection that cannot be made is told to the application at the first failure (issue 16): the
 * state event carries the kind of failure, and one {@link ClientEvent#ERROR} says it, however many
 * attempts fail after it.
 */
public class ConnectionFailureTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ServerFixture fx = new ServerFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    /** The connection events and errors of one client, from before it starts connecting. */
    private static final class Watch {
        final BlockingQueue<ConnectionStateEvent> states = new LinkedBlockingQueue<>();
        final BlockingQueue<M800Exception> errors = new LinkedBlockingQueue<>();

        Watch(Client c) {
            c.on(ClientEvent.ERROR, errors::add);
            c.require(ConnectService.class).onStateChange(states::add);
        }

        /** @return the next event that moved to {@code state} (within 15 s) */
        ConnectionStateEvent next(ConnectionState state) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < end) {
                ConnectionStateEvent e = states.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e != null && e.newState() == state && e.oldState() != e.newState()) {
                    return e;
                }
            }
            throw new AssertionError("no change to " + state + " within 15 s");
        }
    }

    private static ConnectService.Authenticator token(String userId, String accessToken) {
        return new ConnectService.Authenticator() {
            @Override
            public String userId() {
                return userId;
            }

            @Override
            public CompletableFuture<String> accessToken(boolean refresh) {
                return CompletableFuture.completedFuture(accessToken);
            }
        };
    }

    private Client clientOf(URI imServer) throws Exception {
        return fx.open(fx.config("failing").imServers(List.of(imServer)).connectTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** Waits for a WAITING with the cause, then for two more failed rounds: still a single ERROR. */
    private static M800Exception assertToldOnce(Client c, Watch w, ConnectionFailure expected) throws Exception {
        c.require(ConnectService.class).start(token("u-nobody", "no-token"));
        ConnectionStateEvent waiting = w.next(ConnectionState.WAITING);
        assertEquals(waiting.reason(), expected, waiting.cause());
        M800Exception error = w.errors.poll(15, TimeUnit.SECONDS);
        assertEquals(ErrorCode.NETWORK, error.code());
        assertTrue(error.getMessage(), error.getMessage().contains("(" + expected + ")"));
        w.next(ConnectionState.WAITING);
        w.next(ConnectionState.WAITING);
        assertNull("the ERROR is told once per run of failures", w.errors.poll(0, TimeUnit.SECONDS));
        return error;
    }

    @Test
    public void aRefusedPortIsToldAsRefusedAtTheFirstAttempt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Client c = clientOf(URI.create("ws://127.0.0.1:" + port + "/v1/im"));
        M800Exception error = assertToldOnce(c, new Watch(c), ConnectionFailure.REFUSED);
        assertTrue(error.getMessage(), error.getMessage().contains("127.0.0.1:" + port));
    }

    @Test
    public void anUnknownHostIsToldAsUnknownHost() throws Exception {
        Client c = clientOf(URI.create("ws://m800-no-such-host.invalid:7000/v1/im"));
        assertToldOnce(c, new Watch(c), ConnectionFailure.UNKNOWN_HOST);
    }

    @Test
    public void wssToAPlainServerIsToldAsTls() throws Exception {
        URI plain = fx.server().imUri();
        assertEquals("ws", plain.getScheme());
        Client c = clientOf(new URI("wss", null, plain.getHost(), plain.getPort(), plain.getPath(), null, null));
        assertToldOnce(c, new Watch(c), ConnectionFailure.TLS);
    }

    @Test
    public void aBadApplicationKeyIsToldAsUnauthorizedAndNotRetried() throws Exception {
        Client good = fx.open(fx.config("good").build());
        Profile p = get(good.require(AccountManager.class).signUp("gina", "password-of-gina", null));
        String accessToken = get(good.require(AccountManager.class).accessToken(false));
        AppMeta wrongKey = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
                .applicationKey("not-the-key").applicationSecret("dev-secret").developerKey("dev-developer")
                .applicationVersion("1.0").build();
        Client c = fx.open(wrongKey, fx.config("wrong-key").build());
        Watch w = new Watch(c);
        c.require(ConnectService.class).start(token(p.userId(), accessToken));

        ConnectionStateEvent refused = w.next(ConnectionState.DISCONNECTED);
        assertEquals(refused.reason(), ConnectionFailure.UNAUTHORIZED, refused.cause());
        assertTrue(refused.reason(), refused.reason().contains("application key"));
        M800Exception error = w.errors.poll(15, TimeUnit.SECONDS);
        assertEquals(ErrorCode.UNAUTHORIZED, error.code());
        // a refused application is not retried: the request fails at once, without a TIMEOUT
        M800Exception request = ServerFixture.failure(c.require(ConnectService.class).request("profile.get", null));
        assertEquals(ErrorCode.NETWORK, request.code());
        assertTrue(request.getMessage(), request.getMessage().contains("not connected"));
    }

    @Test
    public void aWorkingConnectionHasNoCause() throws Exception {
        Client c = fx.open(fx.config("fine").build());
        Watch w = new Watch(c);
        get(c.require(AccountManager.class).signUp("fiona", "password-of-fiona", null));
        awaitState(c, ConnectionState.CONNECTED);
        ConnectionStateEvent connecting = w.next(ConnectionState.CONNECTING);
        assertNull(connecting.cause());
        assertNull(w.next(ConnectionState.CONNECTED).cause());
        assertNull(w.errors.poll(0, TimeUnit.SECONDS));
    }
}
