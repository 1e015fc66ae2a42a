package org.m800.sdk.chat.internal;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.Descriptor;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageState;
import org.m800.sdk.chat.MessageUpdate;
import org.m800.sdk.chat.TypingEvent;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.shell.ShellSupport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands of scope {@code m800} for chat: {@code chatopen}, {@code chatsend}, {@code chats},
 * {@code chathistory}, and {@code chatdemo}, a scripted two-user conversation against the servers of
 * the framework properties {@code m800.defaults.*} (the runtime's embedded server).
 */
@Component(service = ChatCommands.class, immediate = true, property = {
        "osgi.command.scope=m800",
        "osgi.command.function=chatopen",
        "osgi.command.function=chatsend",
        "osgi.command.function=chats",
        "osgi.command.function=chathistory",
        "osgi.command.function=chatdemo" })
public final class ChatCommands {

    private final ShellSupport shell;

    /** Called by Declarative Services. */
    @Activate
    public ChatCommands(@Reference ShellSupport shell) {
        this.shell = shell;
    }

    /**
     * {@code m800:chatopen <clientId> <userId|@clientId>}: opens the direct conversation with a user;
     * prints its id.
     */
    @Descriptor("opens the direct conversation with a user; prints 'conversation <id>'")
    public String chatopen(@Descriptor("the client id") String clientId,
            @Descriptor("the other user's id, or @clientId for the user logged in on that client") String userId)
            throws InterruptedException {
        ChatManager chat = chat(clientId);
        Conversation c = join(chat.openDirect(shell.userId(userId)));
        return shell.created("conversation", c.id());
    }

    /** {@code m800:chatsend <clientId> <conversationId> <text...>}: sends a text and waits until the server has it. */
    @Descriptor("sends a text and waits until the server has it; prints 'message <id>' and its sequence number")
    public String chatsend(@Descriptor("the client id") String clientId,
            @Descriptor("the conversation: its id, or what m800:chatopen printed") String conversationId,
            @Descriptor("the text (words)") String... words) throws InterruptedException {
        String conversation = shell.id("conversation", conversationId);
        Message m = join(chat(clientId).sendText(conversation, String.join(" ", words)).accepted());
        return shell.result("message " + m.id() + " #" + m.seq(),
                Map.of("message", m.id(), "conversation", conversation, "seq", m.seq()));
    }

    /** {@code m800:chats <clientId>}: the conversations with their unread counts. */
    @Descriptor("the conversations of a client with their unread counts")
    public String chats(@Descriptor("the client id") String clientId) {
        StringBuilder out = new StringBuilder();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Conversation c : chat(clientId).conversations()) {
            out.append(c.id()).append(' ').append(c.kind()).append(c.title().isEmpty() ? "" : " \"" + c.title() + "\"")
                    .append(" members ").append(c.members().size()).append(" last #").append(c.lastSeq())
                    .append(" unread ").append(c.unreadCount()).append(c.member() ? "" : " (left)").append('\n');
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("conversation", c.id());
            row.put("kind", c.kind().toString());
            row.put("title", c.title());
            row.put("members", c.members().size());
            row.put("lastSeq", c.lastSeq());
            row.put("unread", c.unreadCount());
            row.put("member", c.member());
            rows.add(row);
        }
        return shell.rows(out.length() == 0 ? "no conversations" : out.toString().stripTrailing(), "conversations", rows);
    }

    /** {@code m800:chathistory <clientId> <conversationId> [limit]}: the newest messages, oldest first. */
    @Descriptor("the newest messages of a conversation, oldest first")
    public String chathistory(@Descriptor("the client id") String clientId,
            @Descriptor("the conversation: its id, or what m800:chatopen printed") String conversationId,
            @Descriptor("how many messages (default 20)") int... limit) throws InterruptedException {
        HistoryPage page = join(chat(clientId).history(shell.id("conversation", conversationId), 0,
                limit.length > 0 ? limit[0] : 20));
        List<Message> messages = new ArrayList<>(page.messages());
        java.util.Collections.reverse(messages);
        StringBuilder out = new StringBuilder();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Message m : messages) {
            out.append(line(m)).append('\n');
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("message", m.id());
            row.put("seq", m.seq());
            row.put("sender", m.senderId());
            row.put("text", m.deleted() ? null : m.text());
            row.put("state", m.state().toString());
            row.put("deleted", m.deleted());
            rows.add(row);
        }
        return shell.rows(out.length() == 0 ? "no messages" : out.toString().stripTrailing(), "messages", rows);
    }

    /**
     * {@code m800:chatdemo}: two new users chat through the configured (embedded) server; prints what
     * each side sees. The demo's clients are closed at the end.
     */
    @Descriptor("two new users chat through the runtime's embedded server; prints what each side sees")
    public String chatdemo() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Client alice = demoClient("demo-alice-" + suffix);
        Client bob = demoClient("demo-bob-" + suffix);
        try {
            join(alice.require(AccountManager.class).signUp("alice-" + suffix, "demo-password", "Alice"));
            join(bob.require(AccountManager.class).signUp("bob-" + suffix, "demo-password", "Bob"));
            log.add("signed up alice-" + suffix + " and bob-" + suffix);
            ChatManager a = alice.require(ChatManager.class);
            ChatManager b = bob.require(ChatManager.class);
            CompletableFuture<Void> bobHasThree = new CompletableFuture<>();
            CompletableFuture<Void> aliceSawRead = new CompletableFuture<>();
            a.addListener(recorder("alice", log, m -> { }, u -> {
                if (u.state() == MessageState.READ) {
                    aliceSawRead.complete(null);
                }
            }));
            List<Message> bobGot = new CopyOnWriteArrayList<>();
            b.addListener(recorder("bob", log, m -> {
                bobGot.add(m);
                if (bobGot.size() == 3) {
                    bobHasThree.complete(null);
                }
            }, u -> { }));
            String bobId = bob.require(AccountManager.class).profile().orElseThrow().userId();
            Conversation conv = join(a.openDirect(bobId));
            log.add("alice opened " + conv.id());
            Message first = join(a.sendText(conv.id(), "Hi Bob!").accepted());
            log.add("alice: message #" + first.seq() + " accepted by the server");
            join(a.sendText(conv.id(), "Lunch at noon?").accepted());
            join(a.send(conv.id(), new org.m800.sdk.chat.MessageContent.Location(22.2855, 114.1577, "the usual place"))
                    .accepted());
            join(bobHasThree);
            log.add("bob: " + b.unreadCount(conv.id()) + " unread");
            join(b.typing(conv.id(), true));
            join(b.markRead(conv.id()));
            join(aliceSawRead);
            join(b.sendText(conv.id(), "Sure, see you there").accepted());
            join(b.react(conv.id(), first.id(), "👍", true));
            join(a.edit(conv.id(), first.id(), "Hi Bob! (edited)"));
            HistoryPage page = join(b.history(conv.id(), 0, 10));
            log.add("bob's history, newest first:");
            page.messages().forEach(m -> log.add("  " + line(m)));
        } finally {
            alice.close();
            bob.close();
        }
        return shell.result(String.join("\n", log), Map.of("log", log));
    }

    private static ChatListener recorder(String who, List<String> log, java.util.function.Consumer<Message> received,
            java.util.function.Consumer<Message> updated) {
        return new ChatListener() {
            @Override
            public void messageReceived(Message message) {
                log.add(who + " received: " + line(message));
                received.accept(message);
            }

            @Override
            public void messageUpdated(Message message, MessageUpdate update) {
                log.add(who + " sees " + update + " of #" + message.seq() + ": " + message.state()
                        + (update == MessageUpdate.EDITED ? " \"" + message.text() + "\"" : "")
                        + (update == MessageUpdate.REACTIONS ? " " + message.reactions() : ""));
                updated.accept(message);
            }

            @Override
            public void typing(TypingEvent event) {
                log.add(who + " sees the other " + (event.typing() ? "typing" : "stop typing"));
            }
        };
    }

    private Client demoClient(String id) throws Exception {
        return shell.demoClient(id, Files.createTempDirectory("m800-chatdemo-"), List.of(), ChatManager.MODULE);
    }

    private static String line(Message m) {
        String body = m.deleted() ? "(deleted)" : m.text() != null ? m.text() : m.content().toString();
        return "#" + m.seq() + " " + m.senderId() + ": " + body + " [" + m.state() + "]"
                + (m.reactions().isEmpty() ? "" : " " + m.reactions());
    }

    private ChatManager chat(String clientId) {
        return shell.feature(clientId, ChatManager.class);
    }

    private <T> T join(CompletableFuture<T> future) throws InterruptedException {
        return shell.join(future);
    }
}
