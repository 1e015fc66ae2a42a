package org.m800.sdk.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.chat.ChatFixture.chat;
import static org.m800.sdk.chat.ChatFixture.get;
import static org.m800.sdk.chat.ChatFixture.userId;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.testing.TcpProxy;

/**
 * Chat across the life of a client: what closing completes, what a listener of a reopened client
 * hears, the order of one sender's messages across connection resets, and messages of two senders
 * with the same id.
 */
public class ChatLifecycleTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ChatFixture fx = new ChatFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    private Client signUp(String name, Path data) throws Exception {
        Client c = fx.open(name, data);
        get(c.require(AccountManager.class).signUp(name, name + "-password", null));
        return c;
    }

    /** @return the failure of the future within 20 s, or null if it completed normally */
    private static Throwable outcome(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(20, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("a future of a closed client is still pending 20 s after close()");
        }
    }

    @Test
    public void closingTheClientCompletesEveryAcceptanceFutureAndTheNextClientSendsTheRest() throws Exception {
        Path data = fx.newDataDirectory();
        Client alice = signUp("alice", data);
        Client bob = fx.newUser("bob");
        Recorder b = new Recorder();
        chat(bob).addListener(b);
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        List<CompletableFuture<Message>> accepted = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            accepted.add(chat(alice).sendText(conv.id(), "m" + i).accepted());
        }
        alice.close();
        int closed = 0;
        for (CompletableFuture<Message> f : accepted) {
            Throwable t = outcome(f);
            if (t != null) {
                assertTrue(String.valueOf(t), t instanceof M800Exception m && m.code() == ErrorCode.CLOSED);
                closed++;
            }
        }
        // nothing is lost: a client reopened on the data sends what was left
        Client again = fx.open("alice-again", data);
        b.await("50 messages", r -> r.received.size() >= 50);
        assertEquals(50, new HashSet<>(b.receivedTexts()).size());
        Recorder a = new Recorder();
        chat(again).addListener(a);
        a.await("the outbox drained", r -> chat(again).outbox().isEmpty());
        assertTrue("futures failed with CLOSED: " + closed, closed <= 50);
    }

    @Test
    public void aListenerOfAReopenedClientPlusItsFirstReadSeesEveryMessageInItsFinalState() throws Exception {
        Path data = fx.newDataDirectory();
        Client alice = signUp("alice", data);
        Client bob = fx.newUser("bob");
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            ids.add(chat(alice).sendText(conv.id(), "m" + i).message().id());
        }
        alice.close(); // most are still in the outbox

        Client again = fx.open("alice-again", data);
        // the documented way: add the listener, then read
        Map<String, MessageState> seen = new HashMap<>();
        Recorder a = new Recorder();
        chat(again).addListener(a);
        for (Message m : chat(again).outbox()) {
            seen.put(m.id(), m.state());
        }
        for (Message m : get(chat(again).history(conv.id(), 0, 200)).messages()) {
            seen.put(m.id(), m.state());
        }
        // settled: every message delivered to bob's device and the outbox empty
        a.await("every message DELIVERED", r -> chat(again).outbox().isEmpty() && ids.stream().allMatch(id ->
                chat(again).message(id).map(m -> m.state() == MessageState.DELIVERED).orElse(false)));
        // the events of those changes were queued as they were made, and an event may repeat a change the
        // read already showed (SENT told after the read saw DELIVERED, DELIVERED told after it): one more
        // event through the same listener, a message from bob, is told after all of them
        String marker = get(chat(bob).sendText(conv.id(), "marker").accepted()).id();
        a.await("bob's message after the last changes", r -> r.received.stream().anyMatch(m -> m.id().equals(marker)));
        for (String id : ids) {
            Message last = a.lastUpdate(id);
            MessageState view = last != null ? last.state() : seen.get(id);
            assertEquals("the listener's view of " + id, chat(again).message(id).orElseThrow().state(), view);
        }
    }

    @Test
    public void oneSendersMessagesAreAcceptedInSendOrderAcrossConnectionResets() throws Exception {
        Client bob = fx.newUser("bob");
        Recorder b = new Recorder();
        chat(bob).addListener(b);
        try (TcpProxy proxy = new TcpProxy(fx.server().imUri(), 17)) {
            ClientConfig config = ClientConfig.builder().clientId("alice").imServers(List.of(proxy.imUri()))
                    .signUpServers(List.of(fx.server().httpUri())).dataDirectory(fx.newDataDirectory())
                    .reconnectMinDelay(Duration.ofMillis(10)).reconnectMaxDelay(Duration.ofMillis(100))
                    .requestTimeout(Duration.ofSeconds(2)).offlineQueueLimit(100).build();
            Client alice = fx.open(ChatFixture.DEV_APP, config, ChatManager.MODULE);
            get(alice.require(AccountManager.class).signUp("alice", "alice-password", null));
            Conversation conv = get(chat(alice).openDirect(userId(bob)));
            int count = 1500;
            Random random = new Random(17);
            Thread resetter = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(200 + random.nextInt(600));
                        proxy.resetAll();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "test-resetter");
            resetter.start();
            try {
                for (int i = 0; i < count; i++) {
                    chat(alice).sendText(conv.id(), "m" + i);
                    if (i % 100 == 99) {
                        // a cut while this batch is still in flight, however fast the machine sends it
                        // (on a quiet machine all 1,500 went through between two of the resetter's cuts)
                        proxy.resetAll();
                        Thread.sleep(50);
                    }
                }
                b.await(count + " messages", r -> r.received.size() >= count);
            } finally {
                resetter.interrupt();
                resetter.join(10_000);
            }
            assertTrue("the proxy reset the connections " + proxy.resets() + " times", proxy.resets() >= 2);
            List<Message> received = b.receivedCopy();
            int reordered = 0;
            String firstReorder = "";
            long lastSeq = 0;
            int lastIndex = -1;
            for (Message m : received) {
                assertTrue("seq " + m.seq() + " after " + lastSeq, m.seq() > lastSeq);
                lastSeq = m.seq();
                int index = Integer.parseInt(m.text().substring(1));
                if (index < lastIndex) {
                    if (reordered == 0) {
                        StringBuilder around = new StringBuilder();
                        int at = received.indexOf(m);
                        for (Message n : received.subList(Math.max(0, at - 30), Math.min(received.size(), at + 10))) {
                            around.append(n.text()).append('@').append(n.seq()).append(' ');
                        }
                        firstReorder = around.toString();
                    }
                    reordered++;
                }
                lastIndex = Math.max(lastIndex, index);
            }
            assertEquals("messages accepted out of send() order; around the first: " + firstReorder, 0, reordered);
            assertEquals(count, received.size());
        }
    }

    @Test
    public void twoSendersMayUseTheSameMessageIdAndTheRecipientKeepsBoth() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Client carol = fx.newUser("carol");
        Recorder c = new Recorder();
        chat(carol).addListener(c);
        Conversation withAlice = get(chat(alice).openDirect(userId(carol)));
        Conversation withBob = get(chat(bob).openDirect(userId(carol)));
        String id = "0190aa00-shared-id";
        get(alice.require(ConnectService.class).request("chat.send", Map.of("conversationId", withAlice.id(),
                "messageId", id, "content", Map.of("kind", "text", "text", "from alice"))));
        get(bob.require(ConnectService.class).request("chat.send", Map.of("conversationId", withBob.id(),
                "messageId", id, "content", Map.of("kind", "text", "text", "from bob"))));
        c.await("both messages", r -> r.received.size() >= 2);
        assertEquals(Set.of("from alice", "from bob"), new HashSet<>(c.receivedTexts()));
        assertEquals("from alice", chat(carol).message(userId(alice), id).orElseThrow().text());
        assertEquals("from bob", chat(carol).message(userId(bob), id).orElseThrow().text());
    }
}
