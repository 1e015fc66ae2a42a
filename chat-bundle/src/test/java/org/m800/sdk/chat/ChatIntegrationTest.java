package org.m800.sdk.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.m800.sdk.chat.ChatFixture.chat;
import static org.m800.sdk.chat.ChatFixture.failure;
import static org.m800.sdk.chat.ChatFixture.get;
import static org.m800.sdk.chat.ChatFixture.userId;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** Chat between two and three clients against the real reference server. */
public class ChatIntegrationTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ChatFixture fx = new ChatFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    /** Alice and bob with a direct conversation, each with a recorder on their chat. */
    private final class Pair {
        final Client alice;
        final Client bob;
        final Recorder a = new Recorder();
        final Recorder b = new Recorder();
        final Conversation conv;

        Pair() throws Exception {
            alice = fx.newUser("alice");
            bob = fx.newUser("bob");
            chat(alice).addListener(a);
            chat(bob).addListener(b);
            conv = get(chat(alice).openDirect(userId(bob)));
        }

        /** Alice sends a text and waits until the server accepted it. */
        Message sent(String text) throws Exception {
            return get(chat(alice).sendText(conv.id(), text).accepted());
        }
    }

    @Test
    public void aDirectConversationIsTheSameEachTimeAndASentMessageGoesFromSendingToSent() throws Exception {
        Pair p = new Pair();
        assertEquals(ConversationKind.DIRECT, p.conv.kind());
        assertEquals(p.conv.id(), get(chat(p.alice).openDirect(userId(p.bob))).id());
        Sending first = chat(p.alice).sendText(p.conv.id(), "hello bob");
        assertEquals(MessageState.SENDING, first.message().state());
        Message sent = get(first.accepted());
        assertEquals(MessageState.SENT, sent.state());
        assertEquals(1, sent.seq());
    }

    @Test
    public void everyKindOfContentArrivesOnceInOrderOnSdkThreads() throws Exception {
        Pair p = new Pair();
        chat(p.alice).sendText(p.conv.id(), "hello bob");
        chat(p.alice).send(p.conv.id(), new MessageContent.Location(22.3, 114.2, "office"));
        chat(p.alice).send(p.conv.id(), new MessageContent.Media("file-1", "image/jpeg", 1234, 640L, 480L, null,
                "thumb-1", "cat.jpg", null));
        get(chat(p.alice).send(p.conv.id(), new MessageContent.Custom("app.poll", Map.of("q", "lunch?", "options",
                List.of("yes", "no")))).accepted());

        p.b.await("four messages", r -> r.received.size() == 4);
        List<Message> got = p.b.receivedCopy();
        assertEquals(got.toString(), "hello bob", got.get(0).text());
        assertEquals(new MessageContent.Location(22.3, 114.2, "office"), got.get(1).content());
        assertEquals(640L, (long) ((MessageContent.Media) got.get(2).content()).width());
        assertEquals("lunch?", ((MessageContent.Custom) got.get(3).content()).data().get("q"));
        assertEquals(List.of(1L, 2L, 3L, 4L), got.stream().map(Message::seq).toList());
        assertEquals(MessageState.RECEIVED, got.get(0).state());
        assertTrue("listeners run on SDK threads", p.b.threads.stream().noneMatch(t -> t.contains("main")));
    }

    @Test
    public void theRecipientsDeviceAcknowledgesDeliveryAndReadingMovesTheSendersStates() throws Exception {
        Pair p = new Pair();
        Message first = p.sent("one");
        Message second = p.sent("two");
        p.a.await("delivered", r -> r.hasUpdate(second.id(), MessageState.DELIVERED));
        assertEquals(2, chat(p.bob).unreadCount(p.conv.id()));
        get(chat(p.bob).markRead(p.conv.id()));
        assertEquals(0, chat(p.bob).unreadCount(p.conv.id()));
        p.a.await("read", r -> r.hasUpdate(second.id(), MessageState.READ));
        assertEquals(MessageState.READ, chat(p.alice).message(first.id()).orElseThrow().state());
    }

    @Test
    public void typingReachesTheOtherMember() throws Exception {
        Pair p = new Pair();
        get(chat(p.bob).typing(p.conv.id(), true));
        p.a.await("typing", r -> r.typing.stream().anyMatch(t -> t.typing() && t.userId().equals(userId(p.bob))));
    }

    @Test
    public void theSenderEditsItsMessageEverywhereAndNobodyElseCan() throws Exception {
        Pair p = new Pair();
        Message sent = p.sent("hello bob");
        Message edited = get(chat(p.alice).edit(p.conv.id(), sent.id(), "hello, bob"));
        assertEquals("hello, bob", edited.text());
        assertTrue(edited.editedAt() > 0);
        p.b.await("edit", r -> r.hasUpdate(sent.id(), MessageUpdate.EDITED));
        assertEquals("hello, bob", chat(p.bob).message(sent.id()).orElseThrow().text());
        assertEquals(ErrorCode.UNAUTHORIZED, failure(chat(p.bob).edit(p.conv.id(), sent.id(), "hacked")).code());
    }

    @Test
    public void aReactionIsAddedAndRemovedOnBothDevices() throws Exception {
        Pair p = new Pair();
        Message sent = p.sent("hello bob");
        p.b.await("the message", r -> r.received.size() == 1);
        get(chat(p.bob).react(p.conv.id(), sent.id(), "👍", true));
        p.a.await("reaction", r -> r.hasUpdate(sent.id(), MessageUpdate.REACTIONS));
        assertEquals(List.of(userId(p.bob)), chat(p.alice).message(sent.id()).orElseThrow().reactions().get("👍"));
        get(chat(p.bob).react(p.conv.id(), sent.id(), "👍", false));
        p.a.await("reaction removed", r -> r.lastUpdate(sent.id()).reactions().isEmpty());
    }

    @Test
    public void onlyTheSenderDeletesAMessageForEveryone() throws Exception {
        Pair p = new Pair();
        Message sent = p.sent("oops");
        p.b.await("the message", r -> r.received.size() == 1);
        assertEquals(ErrorCode.UNAUTHORIZED, failure(chat(p.bob).delete(p.conv.id(), sent.id())).code());
        get(chat(p.alice).delete(p.conv.id(), sent.id()));
        p.b.await("delete", r -> r.hasUpdate(sent.id(), MessageUpdate.DELETED));
        assertTrue(chat(p.bob).message(sent.id()).orElseThrow().deleted());
    }

    @Test
    public void anAnswerCountsAsUnreadAndPutsTheConversationFirst() throws Exception {
        Pair p = new Pair();
        p.sent("hello bob");
        // bob's device knows the conversation once the message arrived (it may not when the machine is busy)
        p.b.await("the message", r -> r.received.size() == 1);
        get(chat(p.bob).sendText(p.conv.id(), "hi alice").accepted());
        p.a.await("answer", r -> r.received.size() == 1);
        assertEquals(1, chat(p.alice).unreadCount(p.conv.id()));
        assertEquals(p.conv.id(), chat(p.alice).conversations().get(0).id());
        assertEquals("hi alice", chat(p.alice).conversations().get(0).lastMessage().text());
    }

    @Test
    public void groupWithRolesEnforcedByTheServer() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Client carol = fx.newUser("carol");
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder c = new Recorder();
        chat(alice).addListener(a);
        chat(bob).addListener(b);
        chat(carol).addListener(c);

        Conversation group = get(chat(alice).createGroup("team", List.of(userId(bob), userId(carol))));
        assertEquals(ConversationKind.GROUP, group.kind());
        assertEquals(Role.OWNER, group.member(userId(alice)).orElseThrow().role());
        b.await("created", r -> r.hasChange(GroupChange.Kind.CREATED));
        c.await("created", r -> r.hasChange(GroupChange.Kind.CREATED));
        assertEquals("team", chat(carol).conversation(group.id()).orElseThrow().title());

        // a member cannot rename, an admin can
        assertEquals(ErrorCode.UNAUTHORIZED, failure(chat(carol).rename(group.id(), "carol's")).code());
        assertEquals(ErrorCode.UNAUTHORIZED, failure(chat(bob).setRole(group.id(), userId(carol), Role.ADMIN)).code());
        get(chat(alice).setRole(group.id(), userId(bob), Role.ADMIN));
        get(chat(bob).rename(group.id(), "the team"));
        c.await("renamed", r -> r.hasChange(GroupChange.Kind.RENAMED));
        assertEquals("the team", chat(carol).conversation(group.id()).orElseThrow().title());

        // a message reaches every member once
        Sending hi = chat(carol).sendText(group.id(), "hi all");
        get(hi.accepted());
        a.await("group message", r -> r.received.size() == 1);
        b.await("group message", r -> r.received.size() == 1);
        c.await("delivered to someone", r -> r.hasUpdate(hi.message().id(), MessageState.DELIVERED));

        // an admin cannot remove the owner; removes a member, who can no longer send
        assertEquals(ErrorCode.UNAUTHORIZED, failure(chat(bob).removeMember(group.id(), userId(alice))).code());
        get(chat(bob).removeMember(group.id(), userId(carol)));
        c.await("removed", r -> r.hasChange(GroupChange.Kind.REMOVED));
        assertFalse(chat(carol).conversation(group.id()).orElseThrow().member());
        M800Exception notMember = expectThrows(() -> chat(carol).sendText(group.id(), "still here?"));
        assertEquals(ErrorCode.NOT_FOUND, notMember.code());
        // the server refuses too, when asked directly
        M800Exception refused = failure(carol.require(ConnectService.class).request("chat.send", Map.of(
                "conversationId", group.id(), "messageId", "x-1", "content", Map.of("kind", "text", "text", "hi"))));
        assertEquals(ErrorCode.NOT_FOUND, refused.code());

        // the owner leaves: the admin becomes owner
        get(chat(alice).invite(group.id(), List.of(userId(carol))));
        c.await("invited back", r -> r.hasChange(GroupChange.Kind.INVITED));
        get(chat(alice).leave(group.id()));
        b.await("left", r -> r.hasChange(GroupChange.Kind.LEFT));
        assertEquals(Role.OWNER, chat(bob).conversation(group.id()).orElseThrow().member(userId(bob)).orElseThrow().role());
        get(chat(carol).sendText(group.id(), "welcome back me").accepted());
        b.await("after the changes", r -> r.received.size() == 2);
    }

    @Test
    public void offlineDeliveryOnLogInAndHistoryPaging() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        String bobId = userId(bob);
        Conversation conv = get(chat(alice).openDirect(bobId));
        java.nio.file.Path bobData = bob.config().dataDirectory();
        bob.close();

        List<Sending> sent = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            sent.add(chat(alice).sendText(conv.id(), "offline " + i));
        }
        for (Sending s : sent) {
            get(s.accepted());
        }

        // the same device comes back: the messages arrive from its event log, once each (the first ones
        // may be stored before the listener is added: the client connects as soon as it is ready)
        Client bobAgain = fx.open("bob-again", bobData);
        Recorder b = new Recorder();
        chat(bobAgain).addListener(b);
        b.await("45 offline messages in bob's store", r -> sent.stream()
                .allMatch(x -> chat(bobAgain).message(x.message().id()).isPresent()));
        assertEquals("none reported twice", b.receivedTexts().size(), new HashSet<>(b.receivedTexts()).size());
        assertEquals(45, get(chat(bobAgain).history(conv.id(), 0, 50)).messages().size());

        // a new device of bob logs in: sync fetches what it never saw
        Client bobPhone = fx.open("bob-phone", fx.newDataDirectory());
        Recorder p = new Recorder();
        chat(bobPhone).addListener(p);
        get(bobPhone.require(org.m800.sdk.core.AccountManager.class).logIn("bob", "bob-password"));
        p.await("synced", r -> r.received.size() == 45);
        assertEquals(45, chat(bobPhone).unreadCount(conv.id()));

        HistoryPage page1 = get(chat(bobPhone).history(conv.id(), 0, 20));
        assertEquals(20, page1.messages().size());
        assertEquals("offline 44", page1.messages().get(0).text());
        assertTrue(page1.hasMore());
        HistoryPage page2 = get(chat(bobPhone).history(conv.id(), page1.messages().get(19).seq(), 20));
        assertEquals("offline 24", page2.messages().get(0).text());
        HistoryPage page3 = get(chat(bobPhone).history(conv.id(), page2.messages().get(19).seq(), 20));
        assertEquals(5, page3.messages().size());
        assertEquals("offline 0", page3.messages().get(4).text());
        assertFalse(page3.hasMore());

        // a third device pages into what it does not have
        Client bobTablet = fx.open("bob-tablet", fx.newDataDirectory());
        get(bobTablet.require(org.m800.sdk.core.AccountManager.class).logIn("bob", "bob-password"));
        get(chat(bobTablet).sync());
        HistoryPage old = get(chat(bobTablet).history(conv.id(), 11, 10));
        assertEquals(10, old.messages().size());
        assertEquals("offline 9", old.messages().get(0).text());
        assertFalse(old.hasMore());
    }

    @Test
    public void badInputIsRefusedClearlyAndTheConversationKeepsWorking() throws Exception {
        Client alice = fx.newUser("alice");
        Client bob = fx.newUser("bob");
        Client eve = fx.newUser("eve");
        Recorder b = new Recorder();
        chat(bob).addListener(b);
        Conversation conv = get(chat(alice).openDirect(userId(bob)));

        assertEquals(ErrorCode.INVALID_ARGUMENT, expectThrows(() -> chat(alice).sendText(conv.id(), "")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, expectThrows(() -> chat(alice).sendText(conv.id(), "   ")).code());
        M800Exception tooLong = expectThrows(() -> chat(alice).sendText(conv.id(), "x".repeat(ChatManager.MAX_TEXT_CHARS + 1)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, tooLong.code());
        assertTrue(tooLong.getMessage(), tooLong.getMessage().contains("4096"));
        M800Exception tooBig = expectThrows(() -> chat(alice).send(conv.id(), new MessageContent.Custom("big",
                Map.of("blob", "y".repeat(ChatManager.MAX_CONTENT_BYTES)))));
        assertTrue(tooBig.getMessage(), tooBig.getMessage().contains("16384"));
        assertEquals(ErrorCode.NOT_FOUND, expectThrows(() -> chat(alice).sendText("d-nope", "hi")).code());
        assertTrue(chat(alice).outbox().isEmpty());

        // the server enforces the same limits for a client that does not check
        ConnectService raw = alice.require(ConnectService.class);
        M800Exception serverTooLong = failure(raw.request("chat.send", Map.of("conversationId", conv.id(), "messageId",
                "raw-1", "content", Map.of("kind", "text", "text", "z".repeat(5000)))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, serverTooLong.code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(raw.request("chat.send", Map.of("conversationId", conv.id(),
                "messageId", "raw-2", "content", Map.of("kind", "text", "text", "")))).code());
        assertEquals(ErrorCode.NOT_FOUND, failure(raw.request("chat.send", Map.of("conversationId", "g-unknown",
                "messageId", "raw-3", "content", Map.of("kind", "text", "text", "hi")))).code());
        // not a member: eve writes into alice and bob's conversation
        assertEquals(ErrorCode.NOT_FOUND, failure(eve.require(ConnectService.class).request("chat.send", Map.of(
                "conversationId", conv.id(), "messageId", "eve-1", "content", Map.of("kind", "text", "text", "hi"))))
                .code());
        assertEquals(ErrorCode.NOT_FOUND, failure(chat(alice).openDirect("u-nobody")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(chat(alice).openDirect(userId(alice))).code());

        // editing someone else's message, an unknown message
        get(chat(bob).openDirect(userId(alice)));
        Sending fromBob = chat(bob).sendText(conv.id(), "bob's words");
        get(fromBob.accepted());
        assertEquals(ErrorCode.UNAUTHORIZED, failure(chat(alice).edit(conv.id(), fromBob.message().id(), "mine")).code());
        assertEquals(ErrorCode.NOT_FOUND, failure(chat(alice).edit(conv.id(), "no-such-id", "x")).code());
        // an asynchronous operation fails its future, it does not throw (core API 1.2)
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(chat(alice).edit(conv.id(), fromBob.message().id(), ""))
                .code());

        // and the conversation still works
        Message ok = get(chat(alice).sendText(conv.id(), "still fine").accepted());
        b.await("the good message", r -> r.receivedTexts().contains("still fine"));
        assertEquals(MessageState.SENT, ok.state());
        assertEquals("bob's words", chat(bob).message(fromBob.message().id()).orElseThrow().text());
    }

    private static M800Exception expectThrows(Runnable r) {
        try {
            r.run();
        } catch (M800Exception e) {
            return e;
        }
        fail("expected an M800Exception");
        return null;
    }

    static void assertExactlyOnceInOrder(List<Message> received, Set<String> expectedIds) {
        Set<String> seen = new HashSet<>();
        long lastSeq = 0;
        for (Message m : received) {
            assertTrue("duplicate " + m.id() + " seq " + m.seq(), seen.add(m.id()));
            assertTrue("out of order: " + m.seq() + " after " + lastSeq, m.seq() > lastSeq);
            lastSeq = m.seq();
        }
        assertEquals(expectedIds, seen);
        assertNotNull(received);
    }
}
