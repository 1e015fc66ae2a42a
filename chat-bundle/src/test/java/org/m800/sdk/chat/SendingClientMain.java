package org.m800.sdk.chat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.testing.ReferenceServerFixture;

/**
 * A standalone SDK client in a child JVM, for {@link ClientKillTest}: opens the client stored in a
 * data folder (already logged in), sends {@code count} text messages {@code m<first>...} into a
 * conversation as fast as {@code send()} returns, printing {@code stored <i>} after each (the message is
 * then in the outbox on disk), then waits to be killed.
 *
 * <p>Arguments: im URI, sign-up URI, data folder, conversation id, first index, count.
 */
public final class SendingClientMain {
    private SendingClientMain() {
    }

    public static void main(String[] args) throws Exception {
        ClientConfig config = ClientConfig.builder().clientId("alice").imServers(List.of(URI.create(args[0])))
                .signUpServers(List.of(URI.create(args[1]))).dataDirectory(Path.of(args[2]))
                .reconnectMinDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(200))
                .offlineQueueLimit(10_000).build();
        Client client = ClientFactory.standalone().create(ReferenceServerFixture.DEV_APP, config);
        CountDownLatch ready = new CountDownLatch(1);
        client.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(ChatManager.MODULE)) {
                ready.countDown();
            }
        });
        if (!ready.await(60, TimeUnit.SECONDS)) {
            System.out.println("not ready: " + client.diagnostics().describe());
            System.exit(2);
        }
        ChatManager chat = client.require(ChatManager.class);
        String conversation = args[3];
        int first = Integer.parseInt(args[4]);
        int count = Integer.parseInt(args[5]);
        System.out.println("ready");
        for (int i = first; i < first + count; i++) {
            chat.sendText(conversation, "m" + i);
            System.out.println("stored " + i);
        }
        System.out.println("all stored");
        Thread.sleep(Long.MAX_VALUE);
    }
}
