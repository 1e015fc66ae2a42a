package org.m800.sdk.core;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.rules.TemporaryFolder;
import org.m800.sdk.testing.ReferenceServerFixture;

/** {@link ReferenceServerFixture} with clients of the core alone, which reconnect quickly. */
final class ServerFixture extends ReferenceServerFixture {

    ServerFixture(TemporaryFolder temp) {
        super(temp);
    }

    @Override
    public ClientConfig.Builder config(String id) throws IOException {
        return super.config(id).reconnectMinDelay(Duration.ofMillis(50)).reconnectMaxDelay(Duration.ofMillis(400));
    }

    /** Creates a client of the development application that is closed after the test; waits for READY. */
    Client open(ClientConfig config) throws InterruptedException {
        return open(DEV_APP, config);
    }

    Client open(AppMeta app, ClientConfig config) throws InterruptedException {
        return open(app, config, null);
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
        return get(f, 15);
    }
}
