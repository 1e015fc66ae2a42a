package org.m800.sdk.contacts;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.m800.sdk.core.HttpService;
import org.m800.sdk.core.M800Exception;
import org.m800.server.ReferenceServer;

/**
 * The real reference server on a free port of 127.0.0.1 (with a short idle timeout, so a dead
 * connection is noticed in seconds) and clients of the development application with the contacts
 * feature (and chat, from the test class path); everything is closed after the test.
 */
final class ContactsFixture extends ExternalResource {

    static final AppMeta DEV_APP = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
            .applicationKey("dev-key").applicationSecret("dev-secret").developerKey("dev-developer")
            .applicationVersion("1.0").build();
    /** The server drops a connection silent for this long; clients ping well within it. */
    static final Duration IDLE_TIMEOUT = Duration.ofMillis(2_000);

    private final TemporaryFolder temp;
    private final List<Client> clients = new ArrayList<>();
    final ClientFactory factory = ClientFactory.standalone();
    ReferenceServer server;
    Path serverData;

    ContactsFixture(TemporaryFolder temp) {
        this.temp = temp;
    }

    @Override
    protected void before() throws Throwable {
        serverData = temp.newFolder("server").toPath();
        server = ReferenceServer.builder().port(0).dataDirectory(serverData).idleTimeout(IDLE_TIMEOUT).build().start();
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

    /** A client on the data directory, connecting to {@code im}, whose contacts feature is ready. */
    Client open(String clientId, Path data, URI im) throws InterruptedException {
        ClientConfig config = ClientConfig.builder().clientId(clientId).imServers(List.of(im))
                .signUpServers(List.of(server.httpUri())).verificationServers(List.of(server.httpUri()))
                .dataDirectory(data).heartbeatInterval(Duration.ofMillis(300)).heartbeatTimeout(Duration.ofMillis(1_500))
                .connectTimeout(Duration.ofSeconds(2)).reconnectMinDelay(Duration.ofMillis(20))
                .reconnectMaxDelay(Duration.ofMillis(300)).build();
        Client c = factory.create(DEV_APP, config);
        clients.add(c);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(ContactManager.MODULE)) {
                ready.countDown();
            }
        });
        assertTrue("contacts not ready in " + clientId + ": " + c.diagnostics().describe(),
                ready.await(10, TimeUnit.SECONDS));
        return c;
    }

    Client open(String clientId, Path data) throws InterruptedException {
        return open(clientId, data, server.imUri());
    }

    /** A new user with a client of its own. */
    Client newUser(String username) throws Exception {
        Client c = open(username, newDataDirectory());
        get(c.require(AccountManager.class).signUp(username, username + "-password", null));
        return c;
    }

    /** A new user who verified the phone number (development outbox) at sign-up. */
    Client newUserWithNumber(String username, String e164) throws Exception {
        Client c = open(username, newDataDirectory());
        HttpService http = c.require(HttpService.class);
        Map<String, Object> session = get(http.post(HttpService.Endpoint.VERIFICATION, "/v1/verification/start",
                Map.of("phoneNumber", e164), null, null));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deliveries = (List<Map<String, Object>>) get(http.post(
                HttpService.Endpoint.VERIFICATION, "/v1/verification/outbox", Map.of("phoneNumber", e164), null, null))
                .get("deliveries");
        Map<String, Object> checked = get(http.post(HttpService.Endpoint.VERIFICATION, "/v1/verification/check",
                Map.of("sessionId", session.get("sessionId"), "code", deliveries.get(0).get("code")), null, null));
        get(c.require(AccountManager.class).signUp(username, username + "-password", null,
                (String) checked.get("proof")));
        return c;
    }

    /** Another device (client, data directory) of an existing user. */
    Client newDevice(String clientId, String username) throws Exception {
        Client c = open(clientId, newDataDirectory());
        get(c.require(AccountManager.class).logIn(username, username + "-password"));
        return c;
    }

    void track(Client c) {
        clients.add(c);
    }

    static String userId(Client c) {
        return c.require(AccountManager.class).profile().orElseThrow().userId();
    }

    static ContactManager contacts(Client c) {
        return c.require(ContactManager.class);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
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
