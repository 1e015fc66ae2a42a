package org.m800.sdk.chat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.testing.ReferenceServerFixture;

/** {@link ReferenceServerFixture} with chat clients (chat from the test class path). */
final class ChatFixture extends ReferenceServerFixture {

    ChatFixture(TemporaryFolder temp) {
        super(temp);
    }

    /** A client on the data directory whose chat feature is ready. */
    Client open(String clientId, Path data) throws InterruptedException {
        ClientConfig config = ClientConfig.builder().clientId(clientId).imServers(List.of(server().imUri()))
                .signUpServers(List.of(server().httpUri())).dataDirectory(data)
                .reconnectMinDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(200))
                .offlineQueueLimit(5_000).build();
        return open(DEV_APP, config, ChatManager.MODULE);
    }

    /** A new user with a client of its own; returns the client (its user id via {@link #userId}). */
    Client newUser(String username) throws Exception {
        Client c = open(username, newDataDirectory());
        get(c.require(AccountManager.class).signUp(username, username + "-password", null));
        return c;
    }

    static ChatManager chat(Client c) {
        return c.require(ChatManager.class);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return get(f, 20);
    }
}
