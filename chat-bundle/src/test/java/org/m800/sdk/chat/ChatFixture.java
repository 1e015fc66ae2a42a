package org.m800.sdk.chat;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.M800Exception;
import org.m800.server.ReferenceServer;

/**
 * The real reference server on a free port of 127.0.0.1 and chat clients of the development
 * application; everything is closed after the test.
 */
final class ChatFixture extends ExternalResource {

    static final AppMeta DEV_APP = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
            .applicationKey("dev-key").applicationSecret("dev-secret").developerKey("dev-developer")
            .applicationVersion("1.0").build();

    private final TemporaryFolder temp;
    private final List<Client> clients = new ArrayList<>();
    final ClientFactory factory = ClientFactory.standalone();
    ReferenceServer server;
    Path serverData;
    private int port;

    ChatFixture(TemporaryFolder temp) {
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

    /** Stops the server and starts a new one on the same port and data. */
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

    Path newDataDirectory() throws IOException {
        return temp.newFolder().toPath();
    }

    /** A client on the data directory whose chat feature is ready. */
    Client open(String clientId, Path data) throws InterruptedException {
        ClientConfig config = ClientConfig.builder().clientId(clientId).imServers(List.of(server.imUri()))
                .signUpServers(List.of(server.httpUri())).dataDirectory(data)
                .reconnectMinDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(200))
                .offlineQueueLimit(5_000).build();
        Client c = factory.create(DEV_APP, config);
        clients.add(c);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(ChatManager.MODULE)) {
                ready.countDown();
            }
        });
        assertTrue("chat not ready in " + clientId + ": " + c.diagnostics().describe(), ready.await(10, TimeUnit.SECONDS));
        return c;
    }

    /** A new user with a client of its own; returns the client (its user id via {@link #userId}). */
    Client newUser(String username) throws Exception {
        Client c = open(username, newDataDirectory());
        get(c.require(AccountManager.class).signUp(username, username + "-password", null));
        return c;
    }

    static String userId(Client c) {
        return c.require(AccountManager.class).profile().orElseThrow().userId();
    }

    static ChatManager chat(Client c) {
        return c.require(ChatManager.class);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    /** @return the M800Exception the future failed with */
    static M800Exception failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                return m;
            }
            throw e;
        }
        throw new AssertionError("expected a failure, got success");
    }
}
