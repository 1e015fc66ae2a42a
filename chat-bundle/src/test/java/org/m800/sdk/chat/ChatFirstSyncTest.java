package org.m800.sdk.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.chat.ChatFixture.chat;
import static org.m800.sdk.chat.ChatFixture.get;
import static org.m800.sdk.chat.ChatFixture.userId;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * Log-in on a new device (issue 16): chat says when its first sync is done (a future and a listener
 * call), and the history of a conversation that sync is about to bring waits for it instead of
 * answering NOT_FOUND.
 */
public class ChatFirstSyncTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ChatFixture fx = new ChatFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void aNewDeviceIsToldWhenItsFirstSyncIsDoneAndItsFirstHistoryReadWaitsForIt() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        for (int i = 0; i < 5; i++) {
            get(chat(alice).sendText(conv.id(), "m" + i).accepted());
        }

        Client second = fx.open("alice-phone", fx.newDataDirectory());
        CountDownLatch synced = new CountDownLatch(1);
        AtomicInteger syncedCalls = new AtomicInteger();
        chat(second).addListener(new ChatListener() {
            @Override
            public void synced() {
                syncedCalls.incrementAndGet();
                synced.countDown();
            }
        });
        get(second.require(AccountManager.class).logIn("alice", "alice-password"));
        // at once after log-in: the local copy is still empty, the read waits for the sync
        HistoryPage page = get(chat(second).history(conv.id(), 0, 50));
        assertEquals(5, page.messages().size());
        assertEquals(java.util.Set.of("m0", "m1", "m2", "m3", "m4"),
                page.messages().stream().map(Message::text).collect(java.util.stream.Collectors.toSet()));

        get(chat(second).firstSync());
        assertTrue("ChatListener.synced() called", synced.await(20, TimeUnit.SECONDS));
        assertTrue("the conversation is in the local copy", chat(second).conversation(conv.id()).isPresent());
        get(chat(second).sync());
        assertEquals("synced() once per log-in, not per sync", 1, syncedCalls.get());
        assertTrue("after it, firstSync() is done at once", chat(second).firstSync().isDone());
    }

    @Test
    public void whenSyncCompletesTheListenerHasHeardEverythingItStored() throws Exception {
        Client alice = fx.newUser("alice");
        java.nio.file.Path bobData = fx.newDataDirectory();
        Client bob = fx.open("bob", bobData);
        get(bob.require(AccountManager.class).signUp("bob", "bob-password", null));
        Conversation conv = get(chat(alice).openDirect(userId(bob)));
        get(chat(bob).firstSync());
        bob.close();
        for (int i = 0; i < 30; i++) {
            get(chat(alice).sendText(conv.id(), "while-closed-" + i).accepted());
        }

        Client bobAgain = fx.open("bob", bobData);
        java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        chat(bobAgain).addListener(new ChatListener() {
            @Override
            public void messageReceived(Message message) {
                heard.add(message.text());
            }
        });
        get(chat(bobAgain).sync());
        // read at once, no waiting: the future completes behind the deliveries of what the sync stored
        // (whichever of this sync and the one at start stored a message first told the listener)
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            expected.add("while-closed-" + i);
        }
        assertEquals(expected, java.util.List.copyOf(heard));
    }

    @Test
    public void firstSyncFailsWithClosedWhenTheClientClosesAndIllegalStateWithoutAUser() throws Exception {
        Client nobody = fx.open("nobody", fx.newDataDirectory());
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(chat(nobody).firstSync()).code());

        Client bob = fx.newUser("bob");
        get(chat(bob).firstSync());
        ChatManager chat = chat(bob);
        bob.close();
        assertEquals(ErrorCode.CLOSED, failure(chat.firstSync()).code());
    }

    private static M800Exception failure(CompletableFuture<?> f) throws Exception {
        return ChatFixture.failure(f);
    }
}
