package org.m800.sdk.chat.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageState;
import org.m800.sdk.chat.MessageUpdate;
import org.m800.sdk.chat.TypingEvent;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientDirectory;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.osgi.framework.BundleContext;
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

    private static final String[] DEFAULT_KEYS = { AppMeta.CARRIER, AppMeta.APPLICATION_IDENTIFIER,
        AppMeta.APPLICATION_KEY, AppMeta.APPLICATION_SECRET, AppMeta.DEVELOPER_KEY, AppMeta.APPLICATION_VERSION,
        ClientConfig.IM_SERVERS, ClientConfig.SIGN_UP_SERVERS, ClientConfig.VERIFICATION_SERVERS,
        ClientConfig.CALL_SERVERS };

    private final BundleContext context;
    private final ClientFactory factory;
    private final ClientDirectory clients;

    /** Called by Declarative Services. */
    @Activate
    public ChatCommands(BundleContext context, @Reference ClientFactory factory, @Reference ClientDirectory clients) {
        this.context = context;
        this.factory = factory;
        this.clients = clients;
    }

    /**
     * {@code m800:chatopen <clientId> <userId|@clientId>}: opens the direct conversation with a user;
     * prints its id.
     */
    public String chatopen(String clientId, String userId) throws InterruptedException {
        ChatManager chat = chat(clientId);
        Conversation c = join(chat.openDirect(clients.userId(userId)));
        return "conversation " + c.id();
    }

    /** {@code m800:chatsend <clientId> <conversationId> <text...>}: sends a text and waits until the server has it. */
    public String chatsend(String clientId, String conversationId, String... words) throws InterruptedException {
        Message m = join(chat(clientId).sendText(conversationId, String.join(" ", words)).accepted());
        return "sent " + m.id() + " as #" + m.seq();
    }

    /** {@code m800:chats <clientId>}: the conversations with their unread counts. */
    public String chats(String clientId) {
        StringBuilder out = new StringBuilder();
        for (Conversation c : chat(clientId).conversations()) {
            out.append(c.id()).append(' ').append(c.kind()).append(c.title().isEmpty() ? "" : " \"" + c.title() + "\"")
                    .append(" members ").append(c.members().size()).append(" last #").append(c.lastSeq())
                    .append(" unread ").append(c.unreadCount()).append(c.member() ? "" : " (left)").append('\n');
        }
        return out.length() == 0 ? "no conversations" : out.toString().stripTrailing();
    }

    /** {@code m800:chathistory <clientId> <conversationId> [limit]}: the newest messages, oldest first. */
    public String chathistory(String clientId, String conversationId, int... limit) throws InterruptedException {
        HistoryPage page = join(chat(clientId).history(conversationId, 0, limit.length > 0 ? limit[0] : 20));
        List<Message> messages = new ArrayList<>(page.messages());
        java.util.Collections.reverse(messages);
        StringBuilder out = new StringBuilder();
        messages.forEach(m -> out.append(line(m)).append('\n'));
        return out.length() == 0 ? "no messages" : out.toString().stripTrailing();
    }

    /**
     * {@code m800:chatdemo}: two new users chat through the configured (embedded) server; prints what
     * each side sees. The demo's clients are closed at the end.
     */
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
        return String.join("\n", log);
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
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : DEFAULT_KEYS) {
            String value = context.getProperty("m800.defaults." + key);
            if (value != null) {
                map.put(key, value);
            }
        }
        if (!map.containsKey(ClientConfig.IM_SERVERS)) {
            throw M800Exception.invalidArgument("no m800.defaults.imServers framework property: start the runtime with "
                    + "its embedded server");
        }
        Path data = Files.createTempDirectory("m800-chatdemo-");
        map.put(ClientConfig.DATA_DIRECTORY, data.toString());
        map.put(ClientConfig.CLIENT_ID, id);
        Client c = factory.create(AppMeta.fromMap(map), ClientConfig.fromMap(map));
        CompletableFuture<String> ready = new CompletableFuture<>();
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(ChatManager.MODULE)) {
                ready.complete(name);
            }
        });
        join(ready);
        return c;
    }

    private static String line(Message m) {
        String body = m.deleted() ? "(deleted)" : m.text() != null ? m.text() : m.content().toString();
        return "#" + m.seq() + " " + m.senderId() + ": " + body + " [" + m.state() + "]"
                + (m.reactions().isEmpty() ? "" : " " + m.reactions());
    }

    private ChatManager chat(String clientId) {
        return clients.require(clientId).require(ChatManager.class);
    }

    private static <T> T join(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                throw new M800Exception(m.code(), m.getMessage(), m);
            }
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "no answer within 30 s");
        }
    }
}
