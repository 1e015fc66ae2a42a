package org.m800.sdk.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.chat.ChatFixture.chat;
import static org.m800.sdk.chat.ChatFixture.get;
import static org.m800.sdk.chat.ChatFixture.userId;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.testing.ReferenceServerFixture;
import org.m800.sdk.testing.TcpProxy;

/**
 * Protocol version 2 does not send a connection the events of its own messages; the answers name
 * their seqs (docs/protocol.md 7.7) and the event cursor moves past them. So a sender that reconnects
 * is not sent its own messages again, and an event of another device of the same user that came
 * between them is still received, once.
 */
public class ChatOwnEventsTest {
    private static final long WAIT_MS = 30_000;

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ChatFixture fx = new ChatFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    private TcpProxy proxy;

    @After
    public void closeProxy() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Waits (re-checking) until the condition holds; fails with the message after {@link #WAIT_MS}. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting until " + what, System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }

    @Test
    public void aSenderThatReconnectsIsNotSentItsOwnMessagesAgainAndGetsItsOtherDevicesOnce() throws Exception {
        Client bob = fx.newUser("bob");
        // alice's phone goes through a proxy, so that its connection alone can be cut
        proxy = new TcpProxy(fx.server().imUri(), 5);
        ClientConfig phoneConfig = ClientConfig.builder().clientId("alice-phone")
                .imServers(List.of(URI.create("ws://127.0.0.1:" + proxy.port() + "/v1/im")))
                .signUpServers(List.of(fx.server().httpUri())).dataDirectory(fx.newDataDirectory())
                .reconnectMinDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(200)).build();
        Client phone = fx.open(ReferenceServerFixture.DEV_APP, phoneConfig, ChatManager.MODULE);
        get(phone.require(AccountManager.class).signUp("alice", "alice-password", null));
        Client tablet = fx.open("alice-tablet", fx.newDataDirectory());
        get(tablet.require(AccountManager.class).logIn("alice", "alice-password"));
        String alice = userId(phone);
        Conversation conv = get(chat(phone).openDirect(userId(bob)));
        get(chat(tablet).sync());
        // bob is away: no receipt of his moves alice's cursor past her own messages
        bob.close();

        ConnectService phoneConnection = phone.require(ConnectService.class);
        ConnectService tabletConnection = tablet.require(ConnectService.class);
        Set<String> ownIds = ConcurrentHashMap.newKeySet();
        List<String> phoneGot = new CopyOnWriteArrayList<>();
        AtomicInteger connects = new AtomicInteger();
        Subscription states = phoneConnection.onStateChange(e -> {
            if (e.newState() == ConnectionState.CONNECTED && e.oldState() != ConnectionState.CONNECTED) {
                connects.incrementAndGet();
            }
        });
        Subscription watch = phoneConnection.onEvent(e -> {
            if ("chat.message".equals(e.type())) {
                phoneGot.add(String.valueOf(e.data().get("messageId")));
            }
        });
        try {
            // the phone's messages and the tablet's interleaved: answers and events race each other
            List<CompletableFuture<Message>> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Sending s = chat(phone).sendText(conv.id(), "phone " + i);
                ownIds.add(s.message().id());
                sent.add(s.accepted());
                if (i == 4) {
                    sent.add(chat(tablet).sendText(conv.id(), "tablet in between").accepted());
                }
            }
            Message between = get(sent.remove(5));
            for (CompletableFuture<Message> f : sent) {
                get(f);
            }
            await("the phone has the tablet's message", () -> chat(phone).message(alice, between.id()).isPresent());
            // then only the phone's own: without its answers' seqs its cursor would stay behind them
            for (int i = 10; i < 20; i++) {
                Sending s = chat(phone).sendText(conv.id(), "phone " + i);
                ownIds.add(s.message().id());
                get(s.accepted());
            }
            await("the tablet has all 20 of the phone's messages", () -> ownIds.stream()
                    .allMatch(id -> chat(tablet).message(alice, id).isPresent()));
            await("the phone's cursor is past its own messages (at the tablet's)",
                    () -> phoneConnection.lastSeq() == tabletConnection.lastSeq());
            assertTrue("the user's log holds at least 21 events", phoneConnection.lastSeq() >= 21);
            assertTrue("no own message came to the phone as an event: " + phoneGot,
                    phoneGot.stream().noneMatch(ownIds::contains));
            assertEquals("the tablet's message once", List.of(between.id()), phoneGot);

            // the phone's connection is cut; it reconnects and resumes from its cursor
            int before = connects.get();
            proxy.cutAll();
            await("the phone is connected again", () -> connects.get() > before);
            Message after = get(chat(tablet).sendText(conv.id(), "tablet after the cut").accepted());
            await("the phone has the tablet's message after the cut",
                    () -> chat(phone).message(alice, after.id()).isPresent());
            assertEquals("after the reconnect only the tablet's new message came, none of the phone's own",
                    List.of(between.id(), after.id()), phoneGot);
            assertEquals(0, chat(phone).outbox().size());
            for (String id : ownIds) {
                assertTrue("own message " + id + " accepted", chat(phone).message(id).orElseThrow().seq() > 0);
            }
        } finally {
            watch.close();
            states.close();
        }
    }
}
