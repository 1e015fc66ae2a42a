package org.m800.sdk.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.testing.ReferenceServerFixture.get;
import static org.m800.sdk.testing.ReferenceServerFixture.userId;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.Message;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.testing.ReferenceServerFixture;

/**
 * The events that arrive while the client's event thread is busy are one run, and the chat store writes
 * what a run brings with one write of its log and forces it at most once, before the run is
 * acknowledged (issue 15): a burst of messages costs one write, not one each.
 */
public class ChatEventRunsTest {
    private static final int BURST = 50;

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ReferenceServerFixture fx = new ReferenceServerFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    private Client open(String clientId) throws Exception {
        ClientConfig config = fx.config(clientId).build();
        return fx.open(ReferenceServerFixture.DEV_APP, config, ChatManager.MODULE);
    }

    private static ChatManager chat(Client c) {
        return c.require(ChatManager.class);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting until " + what, System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }

    @Test
    public void aBurstOfIncomingMessagesIsOneWriteAndOneForceAndHeardOnceInOrder() throws Exception {
        Client alice = open("alice");
        get(alice.require(AccountManager.class).signUp("alice", "alice-password", null), 20);
        Client bob = open("bob");
        get(bob.require(AccountManager.class).signUp("bob", "bob-password", null), 20);
        // bob's tablet is the witness: once it has the burst, the server has sent it to bob's phone too
        Client tablet = open("bob-tablet");
        get(tablet.require(AccountManager.class).logIn("bob", "bob-password"), 20);
        String a = userId(alice);
        Conversation conv = get(chat(alice).openDirect(userId(bob)), 20);
        get(chat(bob).sync(), 20);

        ChatStore store = ((ChatManagerImpl) chat(bob)).currentStore();
        ConnectService connection = bob.require(ConnectService.class);
        AtomicInteger chatEventsInRun = new AtomicInteger();
        List<Integer> runs = new CopyOnWriteArrayList<>();
        Subscription counter = connection.onEvent(e -> {
            if (e.type().startsWith("chat.")) {
                chatEventsInRun.incrementAndGet();
            }
        });
        Subscription wrapper = connection.aroundEventRuns(run -> {
            chatEventsInRun.set(0);
            run.run();
            if (chatEventsInRun.get() > 0) {
                runs.add(chatEventsInRun.get());
            }
        });
        // bob's event thread is held by his listener on the first message while the burst comes in
        CountDownLatch release = new CountDownLatch(1);
        List<String> heard = new CopyOnWriteArrayList<>();
        Subscription listener = chat(bob).addListener(new ChatListener() {
            @Override
            public void messageReceived(Message m) {
                heard.add(m.text());
                if (heard.size() == 1) {
                    try {
                        assertTrue(release.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        try {
            get(chat(alice).sendText(conv.id(), "first").accepted(), 20);
            await("bob's listener holds his event thread", () -> heard.size() == 1);
            int writesBefore = store.logWrites();
            int forcesBefore = store.logForces();
            int runsBefore = runs.size();
            List<CompletableFuture<Message>> burst = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                var s = chat(alice).sendText(conv.id(), "burst " + i);
                ids.add(s.message().id());
                burst.add(s.accepted());
            }
            for (CompletableFuture<Message> f : burst) {
                get(f, 20);
            }
            await("bob's tablet has the burst", () -> ids.stream().allMatch(id -> chat(tablet).message(a, id).isPresent()));
            release.countDown();
            await("bob has the burst", () -> ids.stream().allMatch(id -> chat(bob).message(a, id).isPresent()));
            await("bob heard the burst", () -> heard.size() == BURST + 1);

            List<String> expected = new ArrayList<>(List.of("first"));
            for (int i = 0; i < BURST; i++) {
                expected.add("burst " + i);
            }
            assertEquals("each message heard once, in order", expected, heard);
            int writes = store.logWrites() - writesBefore;
            List<Integer> burstRuns = runs.subList(runsBefore, runs.size());
            assertTrue("at most one write per run of chat events: " + writes + " writes, runs " + burstRuns,
                    writes <= burstRuns.size());
            assertTrue("the burst came in runs of several events, not one each: " + burstRuns, writes < BURST / 2);
            await("the burst's writes are forced to the disk", () -> store.logForces() > forcesBefore);
            int forces = store.logForces() - forcesBefore;
            assertTrue("at most one force per write: " + forces + " forces, " + writes + " writes", forces <= writes);
        } finally {
            release.countDown();
            listener.close();
            wrapper.close();
            counter.close();
        }
    }
}
