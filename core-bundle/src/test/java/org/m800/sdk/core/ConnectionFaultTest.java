package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.core.ServerFixture.awaitState;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What the SDK does when a server misbehaves: bad frames, silence. */
public class ConnectionFaultTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final ClientFactory factory = ClientFactory.standalone();
    private FakeImServer server;
    private Client client;

    @After
    public void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Client connect(Duration heartbeat, Duration timeout) throws Exception {
        ClientConfig config = ClientConfig.builder().clientId("faulty").imServers(List.of(server.uri()))
                .dataDirectory(temp.newFolder().toPath()).heartbeatInterval(heartbeat).heartbeatTimeout(timeout)
                .reconnectMinDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(100)).build();
        client = factory.create(ServerFixture.DEV_APP, config);
        CompletableFuture<Client> ready = new CompletableFuture<>();
        client.on(ClientEvent.READY, ready::complete);
        ready.get(10, TimeUnit.SECONDS);
        client.require(ConnectService.class).start(new ConnectService.Authenticator() {
            @Override
            public String userId() {
                return "u-fake";
            }

            @Override
            public CompletableFuture<String> accessToken(boolean refresh) {
                return CompletableFuture.completedFuture("token-for-a-fake-server");
            }
        });
        return client;
    }

    @Test
    public void badFramesFromTheServerAreErrorsAndTheConnectionSurvives() throws Exception {
        server = new FakeImServer();
        server.afterHello = List.of("this is not json", "{\"v\":1}", "{\"v\":1,\"type\":\"surprise\"}",
                "{\"v\":1,\"type\":\"event\",\"seq\":\"x\",\"event\":\"profile.updated\"}",
                "{\"v\":1,\"type\":\"event\",\"seq\":1,\"event\":\"profile.updated\",\"data\":{\"statusMessage\":\"ok\"}}");
        BlockingQueue<M800Exception> errors = new LinkedBlockingQueue<>();
        BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();
        Client c = connect(Duration.ofSeconds(10), Duration.ofSeconds(25));
        c.on(ClientEvent.ERROR, errors::add);
        c.require(NotificationService.class).subscribe("profile.updated", events::add);
        awaitState(c, ConnectionState.CONNECTED);

        ServerEvent good = events.poll(10, TimeUnit.SECONDS);
        assertEquals(1, good.seq());
        assertEquals("ok", good.data().get("statusMessage"));
        for (String expected : List.of("not a JSON object", "without a type", "unknown frame type 'surprise'",
                "without seq")) {
            M800Exception e = errors.poll(10, TimeUnit.SECONDS);
            assertEquals(ErrorCode.PROTOCOL, e.code());
            assertTrue(e.getMessage() + " should say " + expected, e.getMessage().contains(expected));
        }
        assertEquals(ConnectionState.CONNECTED, c.require(ConnectService.class).state());
        assertEquals(1, server.connections.get());
    }

    @Test
    public void aSilentServerIsDetectedByHeartbeatsAndTheClientReconnects() throws Exception {
        server = new FakeImServer();
        Client c = connect(Duration.ofMillis(100), Duration.ofMillis(400));
        awaitState(c, ConnectionState.CONNECTED);
        server.silent = true;
        CompletableFuture<ConnectionStateEvent> lost = new CompletableFuture<>();
        try (Subscription s = c.require(ConnectService.class).onStateChange(e -> {
            if (e.oldState() == ConnectionState.CONNECTED && e.newState() != ConnectionState.CONNECTED) {
                lost.complete(e);
            }
        })) {
            ConnectionStateEvent e = lost.get(10, TimeUnit.SECONDS);
            assertTrue(e.reason(), e.reason().contains("heartbeatTimeout"));
        }
        server.silent = false;
        awaitState(c, ConnectionState.CONNECTED);
        assertTrue(server.connections.get() >= 2);
        assertTrue(server.received.stream().anyMatch(f -> f.contains("\"type\":\"ping\"")));
    }
}
