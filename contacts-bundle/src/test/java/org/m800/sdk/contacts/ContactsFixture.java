package org.m800.sdk.contacts;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.HttpService;
import org.m800.sdk.testing.ReferenceServerFixture;

/**
 * {@link ReferenceServerFixture} with a short idle timeout (a dead connection is noticed in seconds)
 * and clients with the contacts feature (and chat, from the test class path).
 */
final class ContactsFixture extends ReferenceServerFixture {

    /** The server drops a connection silent for this long; clients ping well within it. */
    static final Duration IDLE_TIMEOUT = Duration.ofMillis(2_000);

    ContactsFixture(TemporaryFolder temp) {
        super(temp, IDLE_TIMEOUT);
    }

    /** A client on the data directory, connecting to {@code im}, whose contacts feature is ready. */
    Client open(String clientId, Path data, URI im) throws InterruptedException {
        ClientConfig config = ClientConfig.builder().clientId(clientId).imServers(List.of(im))
                .signUpServers(List.of(server().httpUri())).verificationServers(List.of(server().httpUri()))
                .dataDirectory(data).heartbeatInterval(Duration.ofMillis(300)).heartbeatTimeout(Duration.ofMillis(1_500))
                .connectTimeout(Duration.ofSeconds(2)).reconnectMinDelay(Duration.ofMillis(20))
                .reconnectMaxDelay(Duration.ofMillis(300)).build();
        return open(DEV_APP, config, ContactManager.MODULE);
    }

    Client open(String clientId, Path data) throws InterruptedException {
        return open(clientId, data, server().imUri());
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

    static ContactManager contacts(Client c) {
        return c.require(ContactManager.class);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return get(f, 30);
    }
}
