package org.m800.sdk.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertTrue;

import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;
import org.m800.server.ReferenceServer;

/**
 * The real reference server on a free port of 127.0.0.1, with clients of the development
 * application; everything is closed after the test.
 */
final class ServerFixture extends ExternalResource {

    static final AppMeta DEV_APP = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
            .applicationKey("dev-key").applicationSecret("dev-secret").developerKey("dev-developer")
            .applicationVersion("1.0").build();

    private final TemporaryFolder temp;
    private final List<Client> clients = new ArrayList<>();
    final ClientFactory factory = ClientFactory.standalone();
    ReferenceServer server;
    Path serverData;
    private int port;

    ServerFixture(TemporaryFolder temp) {
        this.temp = temp;
    }

    @Override
    protected void before() throws Throwable {
        serverData = temp.newFolder("server").toPath();
        start(0);
    }

    void start(int wanted) throws IOException {
        server = ReferenceServer.builder().port(wanted).dataDirectory(serverData).build().start();
        port = server.port();
    }

    /** Stops the server and starts a new one on the same port and data: accounts and event logs survive. */
    void restart() throws IOException {
        server.close();
        start(port);
    }

    @Override
    protected void after() {
        clients.forEach(Client::close);
        if (server != null) {
            server.close();
        }
    }

    ClientConfig.Builder config(String id) throws IOException {
        return ClientConfig.builder().clientId(id).imServers(List.of(server.imUri()))
                .signUpServers(List.of(server.httpUri())).dataDirectory(temp.newFolder().toPath())
                .reconnectMinDelay(java.time.Duration.ofMillis(50)).reconnectMaxDelay(java.time.Duration.ofMillis(400));
    }

    Client open(ClientConfig config) throws InterruptedException {
        return open(DEV_APP, config);
    }

    Client open(AppMeta app, ClientConfig config) throws InterruptedException {
        Client c = factory.create(app, config);
        clients.add(c);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.READY, x -> ready.countDown());
        assertTrue("client " + config.clientId() + " not ready: " + c.diagnostics().describe(),
                ready.await(10, TimeUnit.SECONDS));
        return c;
    }

    /** Waits until the client's connection reaches the state. */
    static void awaitState(Client c, ConnectionState state) throws Exception {
        CompletableFuture<ConnectionStateEvent> reached = new CompletableFuture<>();
        try (Subscription s = c.require(ConnectService.class).onStateChange(e -> {
            if (e.newState() == state) {
                reached.complete(e);
            }
        })) {
            reached.get(15, TimeUnit.SECONDS);
        }
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(15, TimeUnit.SECONDS);
    }
}
