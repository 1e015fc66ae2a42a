package org.m800.sdk.contacts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.contacts.ContactsFixture.contacts;
import static org.m800.sdk.contacts.ContactsFixture.get;
import static org.m800.sdk.contacts.ContactsFixture.userId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageState;
import org.m800.sdk.chat.MessageUpdate;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.Subscription;

/** Blocking against the real server, observed through the chat feature. */
public class BlockingTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ContactsFixture fx = new ContactsFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    /** Records the texts of received messages. */
    private static final class Inbox implements ChatListener {
        final List<String> texts = new ArrayList<>();

        @Override
        public synchronized void messageReceived(Message message) {
            texts.add(message.text());
            notifyAll();
        }

        synchronized void await(int count) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 30_000;
            while (texts.size() < count) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + count + " messages; got " + texts);
                }
                wait(left);
            }
        }

        synchronized List<String> copy() {
            return List.copyOf(texts);
        }
    }

    @Test
    public void blockStopsMessagesSilentlyAndUnblockRestoresThem() throws Exception {
        Client alice = fx.newUser("alice");
        Client aliceLaptop = fx.newDevice("alice-laptop", "alice");
        Path bobData = fx.newDataDirectory();
        Client bob = fx.open("bob", bobData);
        get(bob.require(AccountManager.class).signUp("bob", "bob-password", null));
        Inbox inbox = new Inbox();
        alice.require(ChatManager.class).addListener(inbox);
        Recorder bobHears = new Recorder();
        contacts(bob).addListener(bobHears);
        Recorder laptopHears = new Recorder();
        contacts(aliceLaptop).addListener(laptopHears);
        ChatManager bobChat = bob.require(ChatManager.class);
        Conversation conv = get(bobChat.openDirect(userId(alice)));

        get(bobChat.sendText(conv.id(), "one").accepted());
        inbox.await(1);

        get(contacts(alice).block(userId(bob)));
        assertTrue(contacts(alice).isBlocked(userId(bob)));
        assertEquals(userId(bob), contacts(alice).blocked().get(0).userId());
        laptopHears.await("the block on alice's other device", r -> r.blocks.contains("+" + userId(bob)));
        assertTrue(contacts(aliceLaptop).isBlocked(userId(bob)));

        // bob is not told: his message is accepted as usual, and never reported delivered
        Message two = get(bobChat.sendText(conv.id(), "two while blocked").accepted());
        assertEquals(MessageState.SENT, two.state());

        get(contacts(alice).unblock(userId(bob)));
        assertFalse(contacts(alice).isBlocked(userId(bob)));
        laptopHears.await("the unblock on alice's other device", r -> r.blocks.contains("-" + userId(bob)));
        Message three = get(bobChat.sendText(conv.id(), "three").accepted());
        inbox.await(2);
        // messages of a conversation arrive in order: had "two" been delivered, it would be before "three"
        assertEquals(List.of("one", "three"), inbox.copy());

        // alice's receipts are cumulative and cover the seq of "two": it must still not show as delivered
        // or read to bob, while "three" does
        get(alice.require(ChatManager.class).markRead(conv.id()));
        awaitState(bobChat, three.id(), MessageState.READ);
        assertEquals(MessageState.SENT, bobChat.message(two.id()).orElseThrow().state());
        assertEquals(MessageState.READ, bobChat.message(three.id()).orElseThrow().state());
        assertTrue("bob heard nothing of the block: " + bobHears.blocks, bobHears.blocks.isEmpty());
        assertTrue(contacts(bob).blocked().isEmpty());

        // and it stays so for bob's client after a restart on the same data folder
        bob.close();
        Client bobAgain = fx.open("bob", bobData);
        ChatManager chatAgain = awaitChat(bobAgain);
        awaitState(chatAgain, three.id(), MessageState.READ);
        assertEquals(MessageState.SENT, chatAgain.message(two.id()).orElseThrow().state());
        assertEquals(MessageState.READ, chatAgain.message(three.id()).orElseThrow().state());
    }

    private static ChatManager awaitChat(Client c) throws Exception {
        CompletableFuture<ChatManager> ready = new CompletableFuture<>();
        try (Subscription s = c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(ChatManager.MODULE)) {
                ready.complete(c.require(ChatManager.class));
            }
        })) {
            // it may have been ready before the listener came
            c.module(ChatManager.MODULE, ChatManager.class).ifPresent(ready::complete);
            return get(ready);
        }
    }

    private static void awaitState(ChatManager chat, String messageId, MessageState state) throws Exception {
        CompletableFuture<Message> reached = new CompletableFuture<>();
        try (Subscription s = chat.addListener(new ChatListener() {
            @Override
            public void messageUpdated(Message message, MessageUpdate update) {
                if (message.id().equals(messageId) && message.state() == state) {
                    reached.complete(message);
                }
            }
        })) {
            chat.message(messageId).filter(m -> m.state() == state).ifPresent(reached::complete);
            get(reached);
        }
    }
}
