package org.m800.sdk.chat.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.ConversationKind;
import org.m800.sdk.chat.GroupChange;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Member;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.chat.MessageState;
import org.m800.sdk.chat.MessageUpdate;
import org.m800.sdk.chat.Role;
import org.m800.sdk.chat.Sending;
import org.m800.sdk.chat.TypingEvent;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatManager} over {@code service.connect} and {@code service.notification}, with the
 * {@link ChatStore} of the logged-in user. State is guarded by the store's monitor; listeners are
 * called through the client's event executor, in the order the changes happened, outside the monitor.
 */
public final class ChatManagerImpl implements ChatManager, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatManagerImpl.class);
    /** Messages sent and not yet answered, at most. */
    static final int WINDOW = 256;
    private static final int SYNC_PAGES = 5;
    private static final long RECEIPT_DELAY_MS = 20;
    private static final long RETRY_DELAY_MS = 1_000;
    private static final SecureRandom ID_RANDOM = new SecureRandom();

    private final String clientId;
    private final ConnectService connect;
    private final AccountManager account;
    private final Executor events;
    private final ScheduledExecutorService scheduler;
    private final Executor disk;
    private final java.nio.file.Path dataDirectory;

    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    /**
     * Guards the fields below. Lock order: {@code lock} before a store's monitor, never the other way
     * round (pump holds both; code holding a store's monitor must not call anything that takes lock).
     */
    private final Object lock = new Object();
    /** Acceptance futures of messages sent by this instance. */
    private final Map<String, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();

    // guarded by lock
    private ChatStore store;
    private final Set<String> inFlight = new HashSet<>();
    /**
     * Outbox ids not in flight, in outbox order, so pump takes the next ones without walking the
     * outbox; rebuilt from the outbox when {@code rescanOutbox} is set (store opened, a send failed).
     */
    private final ArrayDeque<String> unsent = new ArrayDeque<>();
    private boolean rescanOutbox = true;
    private final Map<String, Long> pendingDelivered = new LinkedHashMap<>();
    private boolean receiptsScheduled;
    private boolean retryScheduled;
    private boolean synced;
    private boolean closed;

    /** Builds the module: deps are service.connect, service.notification, account. */
    public ChatManagerImpl(ModuleContext ctx) {
        this.clientId = ctx.clientId();
        this.connect = ctx.dependency(ConnectService.MODULE, ConnectService.class);
        NotificationService notifications = ctx.dependency(NotificationService.MODULE, NotificationService.class);
        this.account = ctx.dependency(AccountManager.MODULE, AccountManager.class);
        this.events = ctx.eventExecutor();
        this.scheduler = ctx.scheduler();
        this.disk = ctx.diskExecutor();
        this.dataDirectory = ctx.dataDirectory();
        account.profile().ifPresent(p -> openStore(p.userId()));
        subscriptions.add(notifications.subscribe("chat.*", this::onEvent));
        subscriptions.add(notifications.subscribe("group.*", this::onEvent));
        subscriptions.add(account.onProfile(this::onProfile));
        subscriptions.add(connect.onStateChange(this::onState));
    }

    // ================================================================ lifecycle

    private void onProfile(Profile p) {
        if (p == null) {
            synchronized (lock) {
                closeStore();
            }
            return;
        }
        openStore(p.userId());
        if (connect.state() == ConnectionState.CONNECTED) {
            connected();
        }
    }

    private void onState(ConnectionStateEvent e) {
        if (e.newState() == ConnectionState.CONNECTED) {
            String user = connect.userId();
            if (user != null) {
                openStore(user);
            }
            connected();
        }
    }

    private void connected() {
        boolean doSync;
        synchronized (lock) {
            if (store == null || closed) {
                return;
            }
            doSync = !synced;
            synced = true;
        }
        pump();
        if (doSync) {
            sync().whenComplete((v, t) -> {
                if (t != null) {
                    LOG.debug("client {}: chat sync failed: {}", clientId, t.toString());
                    synchronized (lock) {
                        synced = false;
                    }
                }
            });
        }
    }

    private void openStore(String userId) {
        synchronized (lock) {
            if (closed || (store != null && store.userId.equals(userId))) {
                return;
            }
            closeStore();
            store = ChatStore.open(dataDirectory.resolve("chat").resolve(hash(userId)), userId, scheduler, disk);
            synced = false;
            LOG.debug("client {}: chat store open with {} conversations, {} messages, {} in the outbox", clientId,
                    store.convs.size(), store.byId.size(), store.outbox.size());
        }
    }

    private void closeStore() {
        if (store != null) {
            synchronized (store) {
                store.close();
            }
            store = null;
            inFlight.clear();
            unsent.clear();
            rescanOutbox = true;
            pendingDelivered.clear();
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        synchronized (lock) {
            closed = true;
            closeStore();
        }
        listeners.clear();
    }

    private ChatStore requireStore() {
        if (currentStore() == null) {
            // logged in, and the profile listener has not run yet
            account.profile().ifPresent(p -> openStore(p.userId()));
        }
        synchronized (lock) {
            if (store == null) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, closed ? "the chat of client " + clientId + " is closed"
                        : "no user is logged in to client " + clientId);
            }
            return store;
        }
    }

    // ================================================================ sending

    @Override
    public Sending send(String conversationId, MessageContent content) {
        Map<String, Object> wire = Codec.toWire(content);
        ChatStore s = requireStore();
        ChatStore.Msg m = new ChatStore.Msg();
        Message snapshot;
        CompletableFuture<Message> accepted = new CompletableFuture<>();
        synchronized (lock) {
            synchronized (s) {
                snapshot = saveOutgoing(s, conversationId, m, wire, accepted);
            }
            if (store == s && !rescanOutbox) {
                unsent.add(m.id);
            }
        }
        pump();
        return new Sending(snapshot, accepted);
    }

    /** Writes a new outgoing message to the store. Caller holds lock and the store's monitor. */
    private Message saveOutgoing(ChatStore s, String conversationId, ChatStore.Msg m, Map<String, Object> wire,
            CompletableFuture<Message> accepted) {
        ChatStore.Conv c = s.convs.get(conversationId);
        if (c == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "unknown conversation '" + conversationId
                    + "' (open it with openDirect or createGroup, or wait for it to arrive)");
        }
        if (!c.member) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "you are no longer a member of conversation "
                    + conversationId);
        }
        m.id = newMessageId();
        m.conv = conversationId;
        m.sender = s.userId;
        m.ts = System.currentTimeMillis();
        m.content = wire;
        waiting.put(m.id, accepted);
        s.save(m);
        return toMessage(s, c, m);
    }

    /**
     * A time-ordered id (like a UUIDv7): 48 bits of milliseconds, then 80 random bits. Consecutive ids
     * of a sender sort together, so the server's unique index on (sender, messageId) grows at one end
     * instead of touching a random page per message.
     */
    private static String newMessageId() {
        return newMessageId(System.currentTimeMillis());
    }

    /** {@link #newMessageId()} at a given time in ms. */
    static String newMessageId(long millis) {
        byte[] random = new byte[10];
        ID_RANDOM.nextBytes(random);
        return HexFormat.of().toHexDigits(millis).substring(4) + "-" + HexFormat.of().formatHex(random);
    }

    /** Sends outbox messages that are not in flight, up to the window. Any thread. */
    private void pump() {
        List<ChatStore.Msg> toSend = new ArrayList<>();
        synchronized (lock) {
            ChatStore s = store;
            if (s == null || closed || connect.state() != ConnectionState.CONNECTED) {
                return;
            }
            synchronized (s) {
                if (rescanOutbox) {
                    unsent.clear();
                    for (String id : s.outbox.keySet()) {
                        if (!inFlight.contains(id)) {
                            unsent.add(id);
                        }
                    }
                    rescanOutbox = false;
                }
                while (inFlight.size() < WINDOW && !unsent.isEmpty()) {
                    String id = unsent.poll();
                    ChatStore.Msg m = s.outbox.get(id);
                    // gone from the outbox: accepted (its event came first) or refused meanwhile
                    if (m != null && inFlight.add(id)) {
                        toSend.add(m);
                    }
                }
            }
        }
        for (ChatStore.Msg m : toSend) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("conversationId", m.conv);
            data.put("messageId", m.id);
            data.put("content", m.content);
            CompletableFuture<Map<String, Object>> answer;
            try {
                answer = connect.request("chat.send", data);
            } catch (M800Exception e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((r, t) -> answered(m.id, r, t));
        }
    }

    private void answered(String id, Map<String, Object> answer, Throwable failure) {
        synchronized (lock) {
            inFlight.remove(id);
            if (failure != null) {
                // it is still in the outbox (unless refused below): pump finds it again in outbox order
                rescanOutbox = true;
            }
        }
        if (failure == null) {
            accept(id, Codec.num(answer.get("seq")), Codec.num(answer.get("ts")));
            pump();
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ErrorCode code = cause instanceof M800Exception e ? e.code() : ErrorCode.SERVER_ERROR;
        switch (code) {
            case INVALID_ARGUMENT, NOT_FOUND, UNAUTHORIZED, PROTOCOL -> refuse(id, (M800Exception) cause);
            default -> {
                LOG.debug("client {}: message {} not sent yet ({}); it stays in the outbox", clientId, id, cause.toString());
                retryLater();
            }
        }
    }

    private void retryLater() {
        synchronized (lock) {
            if (retryScheduled || closed) {
                return;
            }
            retryScheduled = true;
        }
        scheduler.schedule(() -> {
            synchronized (lock) {
                retryScheduled = false;
            }
            pump();
        }, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** The server accepted an outgoing message (its answer, or its own chat.message event). */
    private void accept(String id, long seq, long ts) {
        ChatStore s = currentStore();
        if (s == null) {
            return;
        }
        Message snapshot;
        synchronized (s) {
            ChatStore.Msg m = s.byId.get(id);
            if (m == null || m.seq != 0) {
                return;
            }
            ChatStore.Msg a = copy(m);
            a.seq = seq;
            a.ts = ts;
            a.failure = null;
            s.save(a);
            snapshot = toMessage(s, s.convs.get(a.conv), a);
        }
        CompletableFuture<Message> f = waiting.remove(id);
        emit(l -> l.messageUpdated(snapshot, MessageUpdate.STATE));
        if (f != null) {
            events.execute(() -> f.complete(snapshot));
        }
    }

    private void refuse(String id, M800Exception why) {
        ChatStore s = currentStore();
        if (s == null) {
            return;
        }
        Message snapshot;
        synchronized (s) {
            ChatStore.Msg m = s.byId.get(id);
            if (m == null || m.seq != 0 || m.failure != null) {
                return;
            }
            ChatStore.Msg f = copy(m);
            f.failure = why.code() + ": " + why.getMessage();
            s.save(f);
            snapshot = toMessage(s, s.convs.get(f.conv), f);
        }
        LOG.info("client {}: message {} refused by the server: {}", clientId, id, why.getMessage());
        CompletableFuture<Message> f = waiting.remove(id);
        emit(l -> l.messageUpdated(snapshot, MessageUpdate.STATE));
        if (f != null) {
            events.execute(() -> f.completeExceptionally(why));
        }
    }

    private ChatStore currentStore() {
        synchronized (lock) {
            return store;
        }
    }

    // ================================================================ events

    private void onEvent(ServerEvent e) {
        ChatStore s = currentStore();
        if (s == null) {
            String user = connect.userId();
            if (user == null) {
                return;
            }
            openStore(user);
            s = currentStore();
            if (s == null) {
                return;
            }
        }
        Map<String, Object> d = e.data();
        try {
            switch (e.type()) {
                case "chat.message" -> incoming(s, d);
                case "chat.receipt" -> receipt(s, d);
                case "chat.edited" -> changed(s, d, MessageUpdate.EDITED);
                case "chat.deleted" -> changed(s, d, MessageUpdate.DELETED);
                case "chat.reaction" -> changed(s, d, MessageUpdate.REACTIONS);
                case "chat.typing" -> {
                    if (e.timestamp() >= System.currentTimeMillis() - TYPING_TIMEOUT_MS
                            && !s.userId.equals(d.get("userId"))) {
                        TypingEvent t = new TypingEvent(String.valueOf(d.get("conversationId")),
                                String.valueOf(d.get("userId")), Boolean.TRUE.equals(d.get("typing")));
                        emit(l -> l.typing(t));
                    }
                }
                case "group.updated" -> groupUpdated(s, d);
                default -> LOG.debug("client {}: ignoring event {}", clientId, e.type());
            }
        } catch (RuntimeException ex) {
            LOG.warn("client {}: cannot apply chat event #{} {}", clientId, e.seq(), e.type(), ex);
        }
    }

    /**
     * Stores a message from the server unless this device has it.
     *
     * @return whether it was new
     */
    private boolean incoming(ChatStore s, Map<String, Object> d) {
        String id = String.valueOf(d.get("messageId"));
        String convId = String.valueOf(d.get("conversationId"));
        long seq = Codec.num(d.get("seq"));
        long ts = Codec.num(d.get("ts"));
        String sender = String.valueOf(d.get("senderId"));
        boolean fetchConversation = false;
        boolean acceptOwn = false;
        boolean fromOthers = false;
        synchronized (s) {
            ChatStore.Msg known = s.byId.get(id);
            if (known != null) {
                if (known.seq != 0 || !known.sender.equals(sender)) {
                    return false;
                }
                // our own message, accepted; the answer may still be on its way
                acceptOwn = true;
            } else {
                ChatStore.Conv c = s.convs.get(convId);
                if (c == null) {
                    boolean direct = !"group".equals(d.get("kind"));
                    c = s.conv(convId, direct ? "direct" : "group");
                    if (direct) {
                        c.members = List.of(new ChatStore.Mem(s.userId, "member", 0, 0),
                                new ChatStore.Mem(sender, "member", 0, 0));
                    }
                    s.save(c);
                    fetchConversation = !direct;
                    Conversation created = toConversation(s, c);
                    emit(l -> l.conversationUpdated(created, new GroupChange(GroupChange.Kind.CREATED, sender, List.of())));
                }
                ChatStore.Msg m = new ChatStore.Msg();
                m.id = id;
                m.conv = convId;
                m.sender = sender;
                m.seq = seq;
                m.ts = ts;
                m.content = Boolean.TRUE.equals(d.get("deleted")) ? null : Codec.map(d.get("content"));
                m.editedAt = Codec.num(d.get("editedAt"));
                m.reactions = reactions(d.get("reactions"));
                s.save(m);
                Message received = toMessage(s, c, m);
                emit(l -> l.messageReceived(received));
                fromOthers = !sender.equals(s.userId);
            }
        }
        if (fromOthers) {
            deliveredLater(convId, seq);
        }
        if (acceptOwn) {
            accept(id, seq, ts);
        }
        if (fetchConversation) {
            sync();
        }
        return true;
    }

    private void deliveredLater(String convId, long seq) {
        synchronized (lock) {
            pendingDelivered.merge(convId, seq, Math::max);
            if (receiptsScheduled) {
                return;
            }
            receiptsScheduled = true;
        }
        scheduler.schedule(() -> events.execute(this::flushReceipts), RECEIPT_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    private void flushReceipts() {
        Map<String, Long> marks;
        synchronized (lock) {
            receiptsScheduled = false;
            marks = new LinkedHashMap<>(pendingDelivered);
            pendingDelivered.clear();
        }
        marks.forEach((conv, seq) -> {
            try {
                connect.request("chat.receipt", Map.of("conversationId", conv, "kind", "delivered", "upTo", seq))
                        .whenComplete((r, t) -> {
                            if (t != null) {
                                LOG.debug("client {}: delivered receipt failed: {}", clientId, t.toString());
                            }
                        });
            } catch (M800Exception e) {
                LOG.debug("client {}: delivered receipt not sent: {}", clientId, e.getMessage());
            }
        });
    }

    private void receipt(ChatStore s, Map<String, Object> d) {
        String convId = String.valueOf(d.get("conversationId"));
        String user = String.valueOf(d.get("userId"));
        long delivered = Codec.num(d.get("deliveredUpTo"));
        long read = Codec.num(d.get("readUpTo"));
        List<Message> moved = new ArrayList<>();
        Conversation marker = null;
        synchronized (s) {
            ChatStore.Conv c = s.convs.get(convId);
            if (c == null) {
                return;
            }
            // own messages this user never got (it blocked us when they were sent): they stay undelivered
            for (Object seq : Codec.list(d.get("withheld"))) {
                ChatStore.Msg m = c.bySeq.get(Codec.num(seq));
                if (m != null && m.sender.equals(s.userId) && !m.withheldFrom.contains(user)) {
                    ChatStore.Msg n = copy(m);
                    List<String> users = new ArrayList<>(m.withheldFrom);
                    users.add(user);
                    n.withheldFrom = List.copyOf(users);
                    s.save(n);
                }
            }
            List<ChatStore.Mem> members = new ArrayList<>();
            for (ChatStore.Mem m : c.members) {
                members.add(m.userId().equals(user) ? new ChatStore.Mem(user, m.role(), Math.max(delivered,
                        m.deliveredUpTo()), Math.max(read, m.readUpTo())) : m);
            }
            c.members = List.copyOf(members);
            if (user.equals(s.userId)) {
                if (read > c.myRead) {
                    c.myRead = read;
                    marker = toConversation(s, c);
                }
            } else {
                long newDelivered = Math.max(c.othersDelivered, Math.max(delivered, read));
                long newRead = Math.max(c.othersRead, read);
                if (newDelivered != c.othersDelivered || newRead != c.othersRead) {
                    long oldDelivered = c.othersDelivered;
                    long oldRead = c.othersRead;
                    c.othersDelivered = newDelivered;
                    c.othersRead = newRead;
                    // only the messages whose state moves: (oldDelivered, newDelivered] and (oldRead, newRead]
                    NavigableMap<Long, ChatStore.Msg> changed = new TreeMap<>(
                            c.bySeq.subMap(oldDelivered, false, newDelivered, true));
                    changed.putAll(c.bySeq.subMap(oldRead, false, newRead, true));
                    for (ChatStore.Msg m : changed.values()) {
                        if (m.sender.equals(s.userId) && !m.withheldFrom.contains(user)) {
                            moved.add(toMessage(s, c, m));
                        }
                    }
                }
            }
            s.save(c);
        }
        for (Message m : moved) {
            emit(l -> l.messageUpdated(m, MessageUpdate.STATE));
        }
        if (marker != null) {
            Conversation conv = marker;
            emit(l -> l.conversationUpdated(conv, new GroupChange(GroupChange.Kind.READ_MARKER, user, List.of(user))));
        }
    }

    private void changed(ChatStore s, Map<String, Object> d, MessageUpdate what) {
        String id = String.valueOf(d.get("messageId"));
        Message snapshot;
        synchronized (s) {
            ChatStore.Msg m = s.byId.get(id);
            if (m == null || !m.conv.equals(d.get("conversationId"))) {
                return;
            }
            ChatStore.Msg n = copy(m);
            switch (what) {
                case EDITED -> {
                    if (m.deleted()) {
                        return;
                    }
                    n.content = Codec.map(d.get("content"));
                    n.editedAt = Codec.num(d.get("editedAt"));
                    if (n.editedAt == m.editedAt && n.content.equals(m.content)) {
                        return;
                    }
                }
                case DELETED -> {
                    if (m.deleted()) {
                        return;
                    }
                    n.content = null;
                    n.reactions = Map.of();
                }
                default -> {
                    Map<String, List<String>> r = reactions(d.get("reactions"));
                    if (r.equals(m.reactions)) {
                        return;
                    }
                    n.reactions = r;
                }
            }
            s.save(n);
            snapshot = toMessage(s, s.convs.get(n.conv), n);
        }
        emit(l -> l.messageUpdated(snapshot, what));
    }

    private void groupUpdated(ChatStore s, Map<String, Object> d) {
        GroupChange.Kind kind = switch (String.valueOf(d.get("change"))) {
            case "created" -> GroupChange.Kind.CREATED;
            case "renamed" -> GroupChange.Kind.RENAMED;
            case "invited" -> GroupChange.Kind.INVITED;
            case "removed" -> GroupChange.Kind.REMOVED;
            case "left" -> GroupChange.Kind.LEFT;
            default -> GroupChange.Kind.ROLE;
        };
        List<String> users = new ArrayList<>();
        Codec.list(d.get("userIds")).forEach(u -> users.add(String.valueOf(u)));
        Conversation snapshot;
        synchronized (s) {
            ChatStore.Conv c = applyConversation(s, Codec.map(d.get("conversation")));
            snapshot = toConversation(s, c);
        }
        GroupChange change = new GroupChange(kind, String.valueOf(d.get("actor")), List.copyOf(users));
        emit(l -> l.conversationUpdated(snapshot, change));
    }

    /** Applies a conversation object of the server to the store. Caller holds the store's monitor. */
    private static ChatStore.Conv applyConversation(ChatStore s, Map<String, Object> json) {
        String id = String.valueOf(json.get("id"));
        ChatStore.Conv c = s.conv(id, String.valueOf(json.get("kind")));
        c.kind = String.valueOf(json.get("kind"));
        c.title = String.valueOf(json.getOrDefault("title", ""));
        c.lastSeq = Math.max(c.lastSeq, Codec.num(json.get("lastSeq")));
        List<ChatStore.Mem> members = new ArrayList<>();
        boolean member = false;
        long othersDelivered = c.othersDelivered;
        long othersRead = c.othersRead;
        for (Object o : Codec.list(json.get("members"))) {
            Map<String, Object> m = Codec.map(o);
            String u = String.valueOf(m.get("userId"));
            long del = Codec.num(m.get("deliveredUpTo"));
            long read = Codec.num(m.get("readUpTo"));
            members.add(new ChatStore.Mem(u, String.valueOf(m.get("role")), del, read));
            if (u.equals(s.userId)) {
                member = true;
                c.myRead = Math.max(c.myRead, read);
            } else {
                othersDelivered = Math.max(othersDelivered, Math.max(del, read));
                othersRead = Math.max(othersRead, read);
            }
        }
        if (json.containsKey("joinedSeq")) {
            c.joinedSeq = Codec.num(json.get("joinedSeq"));
        }
        c.members = List.copyOf(members);
        c.member = member;
        c.othersDelivered = othersDelivered;
        c.othersRead = othersRead;
        s.save(c);
        return c;
    }

    // ================================================================ requests

    private CompletableFuture<Map<String, Object>> request(String type, Map<String, ?> data) {
        requireStore();
        try {
            return connect.request(type, data);
        } catch (M800Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Conversation> conversationRequest(String type, Map<String, ?> data) {
        return request(type, data).thenApply(answer -> {
            ChatStore s = requireStore();
            synchronized (s) {
                return toConversation(s, applyConversation(s, answer));
            }
        });
    }

    @Override
    public CompletableFuture<Conversation> openDirect(String userId) {
        requireText("userId", userId);
        return conversationRequest("chat.direct", Map.of("userId", userId));
    }

    @Override
    public CompletableFuture<Conversation> createGroup(String title, List<String> memberUserIds) {
        checkTitle(title);
        if (memberUserIds == null || memberUserIds.stream().anyMatch(java.util.Objects::isNull)) {
            throw M800Exception.invalidArgument("memberUserIds must be a list of user ids without null");
        }
        if (memberUserIds.size() + 1 > MAX_GROUP_MEMBERS) {
            throw M800Exception.invalidArgument("a group has at most " + MAX_GROUP_MEMBERS + " members");
        }
        return conversationRequest("group.create", Map.of("title", title, "members", List.copyOf(memberUserIds)));
    }

    @Override
    public CompletableFuture<Conversation> rename(String conversationId, String title) {
        requireText("conversationId", conversationId);
        checkTitle(title);
        return conversationRequest("group.rename", Map.of("conversationId", conversationId, "title", title));
    }

    @Override
    public CompletableFuture<Conversation> invite(String conversationId, List<String> userIds) {
        requireText("conversationId", conversationId);
        if (userIds == null || userIds.isEmpty() || userIds.stream().anyMatch(java.util.Objects::isNull)) {
            throw M800Exception.invalidArgument("userIds must name at least one user and hold no null");
        }
        return conversationRequest("group.invite", Map.of("conversationId", conversationId, "userIds",
                List.copyOf(userIds)));
    }

    @Override
    public CompletableFuture<Conversation> removeMember(String conversationId, String userId) {
        requireText("conversationId", conversationId);
        requireText("userId", userId);
        return conversationRequest("group.remove", Map.of("conversationId", conversationId, "userId", userId));
    }

    @Override
    public CompletableFuture<Void> leave(String conversationId) {
        requireText("conversationId", conversationId);
        return request("group.leave", Map.of("conversationId", conversationId)).thenAccept(a -> {
            ChatStore s = requireStore();
            synchronized (s) {
                ChatStore.Conv c = s.convs.get(conversationId);
                if (c != null && c.member) {
                    c.member = false;
                    s.save(c);
                }
            }
        });
    }

    @Override
    public CompletableFuture<Conversation> setRole(String conversationId, String userId, Role role) {
        requireText("conversationId", conversationId);
        requireText("userId", userId);
        if (role != Role.ADMIN && role != Role.MEMBER) {
            throw M800Exception.invalidArgument("role must be ADMIN or MEMBER (ownership passes when the owner leaves)");
        }
        return conversationRequest("group.role", Map.of("conversationId", conversationId, "userId", userId, "role",
                role.name().toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public List<Conversation> conversations() {
        ChatStore s = currentStore();
        if (s == null) {
            return List.of();
        }
        List<Conversation> out = new ArrayList<>();
        synchronized (s) {
            List<ChatStore.Conv> all = new ArrayList<>(s.convs.values());
            all.sort(Comparator.comparingLong(ChatStore.Conv::activity).reversed().thenComparing(c -> c.id));
            for (ChatStore.Conv c : all) {
                out.add(toConversation(s, c));
            }
        }
        return out;
    }

    @Override
    public Optional<Conversation> conversation(String conversationId) {
        ChatStore s = currentStore();
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            ChatStore.Conv c = s.convs.get(conversationId);
            return c == null ? Optional.empty() : Optional.of(toConversation(s, c));
        }
    }

    @Override
    public CompletableFuture<Void> sync() {
        ChatStore s;
        try {
            s = requireStore();
        } catch (M800Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return request("chat.conversations", Map.of()).thenCompose(answer -> {
            List<CompletableFuture<Void>> fetches = new ArrayList<>();
            for (Object o : Codec.list(answer.get("conversations"))) {
                Map<String, Object> json = Codec.map(o);
                long after;
                long serverLast = Codec.num(json.get("lastSeq"));
                String id;
                boolean isNew;
                Conversation snapshot;
                synchronized (s) {
                    id = String.valueOf(json.get("id"));
                    isNew = !s.convs.containsKey(id);
                    ChatStore.Conv c = applyConversation(s, json);
                    // from the end of what is known to be complete, not from the newest local message:
                    // a live message may have overtaken one that arrived while this feature was away
                    long complete = contiguousFrom(c, Math.max(c.syncedTo, c.joinedSeq));
                    after = Math.max(complete, serverLast - (long) SYNC_PAGES * MAX_PAGE);
                    if (serverLast <= complete) {
                        after = -1;
                        if (complete > c.syncedTo) {
                            c.syncedTo = complete;
                            s.save(c);
                        }
                    }
                    snapshot = toConversation(s, c);
                }
                if (isNew) {
                    emit(l -> l.conversationUpdated(snapshot, new GroupChange(GroupChange.Kind.CREATED, null, List.of())));
                }
                if (after >= 0) {
                    fetches.add(fetchAfter(s, id, after, serverLast, SYNC_PAGES));
                }
            }
            return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new));
        });
    }

    /** @return the highest seq from which every later local message up to it is present, starting at {@code from} */
    private static long contiguousFrom(ChatStore.Conv c, long from) {
        long seq = from;
        for (Long next : c.bySeq.tailMap(from, false).keySet()) {
            if (next != seq + 1) {
                break;
            }
            seq = next;
        }
        return seq;
    }

    /**
     * Fetches the server's history after {@code after}, page by page; what the server answered is then
     * complete locally, so the conversation's sync mark moves to it (at least to {@code upTo}, the last
     * seq the server reported, once the last page came).
     */
    private CompletableFuture<Void> fetchAfter(ChatStore s, String convId, long after, long upTo, int pages) {
        return request("chat.history", Map.of("conversationId", convId, "after", after, "limit", MAX_PAGE))
                .thenCompose(answer -> {
                    long last = after;
                    for (Object o : Codec.list(answer.get("messages"))) {
                        Map<String, Object> m = Codec.map(o);
                        incoming(s, m);
                        last = Math.max(last, Codec.num(m.get("seq")));
                    }
                    boolean more = Boolean.TRUE.equals(answer.get("hasMore"));
                    markSynced(s, convId, more ? last : Math.max(last, upTo));
                    if (more && pages > 1 && last > after) {
                        return fetchAfter(s, convId, last, upTo, pages - 1);
                    }
                    return CompletableFuture.completedFuture(null);
                });
    }

    private void markSynced(ChatStore s, String convId, long upTo) {
        synchronized (s) {
            ChatStore.Conv c = s.convs.get(convId);
            if (c != null && upTo > c.syncedTo) {
                c.syncedTo = upTo;
                s.save(c);
            }
        }
    }

    @Override
    public CompletableFuture<Message> edit(String conversationId, String messageId, String text) {
        requireText("conversationId", conversationId);
        requireText("messageId", messageId);
        Codec.checkText(text);
        return messageRequest("chat.edit", Map.of("conversationId", conversationId, "messageId", messageId, "text", text),
                messageId, d -> Map.of("content", Map.of("kind", "text", "text", text), "editedAt",
                        Codec.num(d.get("editedAt"))), MessageUpdate.EDITED);
    }

    @Override
    public CompletableFuture<Message> delete(String conversationId, String messageId) {
        requireText("conversationId", conversationId);
        requireText("messageId", messageId);
        return messageRequest("chat.delete", Map.of("conversationId", conversationId, "messageId", messageId), messageId,
                d -> Map.of(), MessageUpdate.DELETED);
    }

    @Override
    public CompletableFuture<Message> react(String conversationId, String messageId, String emoji, boolean add) {
        requireText("conversationId", conversationId);
        requireText("messageId", messageId);
        requireText("emoji", emoji);
        if (emoji.codePointCount(0, emoji.length()) > 32) {
            throw M800Exception.invalidArgument("emoji must be at most 32 characters");
        }
        return messageRequest("chat.react", Map.of("conversationId", conversationId, "messageId", messageId, "emoji",
                emoji, "add", add), messageId, d -> Map.of("reactions", d.getOrDefault("reactions", Map.of())),
                MessageUpdate.REACTIONS);
    }

    private CompletableFuture<Message> messageRequest(String type, Map<String, ?> data, String messageId,
            java.util.function.Function<Map<String, Object>, Map<String, Object>> change, MessageUpdate what) {
        ChatStore s = requireStore();
        return request(type, data).thenApply(answer -> {
            Map<String, Object> d = new HashMap<>(change.apply(answer));
            d.put("messageId", messageId);
            d.put("conversationId", data.get("conversationId"));
            changed(s, d, what);
            synchronized (s) {
                ChatStore.Msg m = s.byId.get(messageId);
                if (m == null) {
                    throw new M800Exception(ErrorCode.NOT_FOUND, "message " + messageId + " is not in the local store");
                }
                return toMessage(s, s.convs.get(m.conv), m);
            }
        });
    }

    @Override
    public CompletableFuture<Void> markRead(String conversationId) {
        ChatStore s = requireStore();
        long upTo;
        Conversation snapshot;
        synchronized (s) {
            ChatStore.Conv c = s.convs.get(conversationId);
            if (c == null) {
                throw new M800Exception(ErrorCode.NOT_FOUND, "unknown conversation '" + conversationId + "'");
            }
            upTo = Math.max(c.lastSeq, c.bySeq.isEmpty() ? 0 : c.bySeq.lastKey());
            if (upTo <= c.myRead) {
                snapshot = null;
            } else {
                c.myRead = upTo;
                s.save(c);
                snapshot = toConversation(s, c);
            }
        }
        if (snapshot != null) {
            emit(l -> l.conversationUpdated(snapshot, new GroupChange(GroupChange.Kind.READ_MARKER, s.userId,
                    List.of(s.userId))));
        }
        return request("chat.receipt", Map.of("conversationId", conversationId, "kind", "read", "upTo", upTo))
                .thenApply(a -> null);
    }

    @Override
    public CompletableFuture<Void> typing(String conversationId, boolean typing) {
        requireText("conversationId", conversationId);
        return request("chat.typing", Map.of("conversationId", conversationId, "typing", typing)).thenApply(a -> null);
    }

    @Override
    public CompletableFuture<HistoryPage> history(String conversationId, long beforeSeq, int limit) {
        requireText("conversationId", conversationId);
        if (limit < 1 || limit > MAX_PAGE) {
            throw M800Exception.invalidArgument("limit must be 1 to " + MAX_PAGE);
        }
        if (beforeSeq < 0) {
            throw M800Exception.invalidArgument("beforeSeq must be 0 (newest) or a seq");
        }
        ChatStore s = requireStore();
        List<Message> local = new ArrayList<>();
        synchronized (s) {
            ChatStore.Conv c = s.convs.get(conversationId);
            if (c == null) {
                throw new M800Exception(ErrorCode.NOT_FOUND, "unknown conversation '" + conversationId + "'");
            }
            if (beforeSeq == 0) {
                List<ChatStore.Msg> unsent = new ArrayList<>(c.unsent.values());
                for (int i = unsent.size() - 1; i >= 0 && local.size() < limit; i--) {
                    local.add(toMessage(s, c, unsent.get(i)));
                }
            }
            long top = beforeSeq == 0 ? Math.max(c.lastSeq, c.bySeq.isEmpty() ? 0 : c.bySeq.lastKey()) : beforeSeq - 1;
            long expected = top;
            boolean complete = true;
            for (ChatStore.Msg m : c.bySeq.headMap(top, true).descendingMap().values()) {
                if (local.size() >= limit) {
                    break;
                }
                if (m.seq != expected) {
                    complete = false;
                    break;
                }
                local.add(toMessage(s, c, m));
                expected--;
            }
            boolean beginning = expected <= c.joinedSeq;
            if (complete && (local.size() >= limit || beginning)) {
                return CompletableFuture.completedFuture(new HistoryPage(List.copyOf(local), !beginning));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversationId", conversationId);
        if (beforeSeq > 0) {
            data.put("before", beforeSeq);
        }
        data.put("limit", limit);
        return request("chat.history", data).thenApply(answer -> {
            List<Message> page = new ArrayList<>();
            synchronized (s) {
                ChatStore.Conv c = s.convs.get(conversationId);
                if (beforeSeq == 0) {
                    for (Message m : local) {
                        if (m.seq() == 0 && page.size() < limit) {
                            page.add(m);
                        }
                    }
                }
                for (Object o : Codec.list(answer.get("messages"))) {
                    Map<String, Object> json = Codec.map(o);
                    String id = String.valueOf(json.get("messageId"));
                    ChatStore.Msg m = s.byId.get(id);
                    if (m == null || m.seq == 0) {
                        m = new ChatStore.Msg();
                        m.id = id;
                        m.conv = conversationId;
                        m.sender = String.valueOf(json.get("senderId"));
                        m.seq = Codec.num(json.get("seq"));
                        m.ts = Codec.num(json.get("ts"));
                        m.content = json.get("deleted") == Boolean.TRUE ? null : Codec.map(json.get("content"));
                        m.editedAt = Codec.num(json.get("editedAt"));
                        m.reactions = reactions(json.get("reactions"));
                        s.save(m);
                    }
                    if (page.size() < limit) {
                        page.add(toMessage(s, c, m));
                    }
                }
            }
            return new HistoryPage(List.copyOf(page), Boolean.TRUE.equals(answer.get("hasMore")));
        });
    }

    @Override
    public Optional<Message> message(String messageId) {
        ChatStore s = currentStore();
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            ChatStore.Msg m = s.byId.get(messageId);
            return m == null ? Optional.empty() : Optional.of(toMessage(s, s.convs.get(m.conv), m));
        }
    }

    @Override
    public int unreadCount(String conversationId) {
        ChatStore s = currentStore();
        if (s == null) {
            return 0;
        }
        synchronized (s) {
            ChatStore.Conv c = s.convs.get(conversationId);
            return c == null ? 0 : unread(s, c);
        }
    }

    @Override
    public List<Message> outbox() {
        ChatStore s = currentStore();
        if (s == null) {
            return List.of();
        }
        List<Message> out = new ArrayList<>();
        synchronized (s) {
            for (ChatStore.Msg m : s.outbox.values()) {
                out.add(toMessage(s, s.convs.get(m.conv), m));
            }
        }
        return out;
    }

    @Override
    public Subscription addListener(ChatListener listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // ================================================================ helpers

    private void emit(Consumer<ChatListener> call) {
        if (listeners.isEmpty()) {
            return;
        }
        events.execute(() -> {
            for (ChatListener l : listeners) {
                try {
                    call.accept(l);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("client {}: a chat listener threw", clientId, e);
                }
            }
        });
    }

    private static int unread(ChatStore s, ChatStore.Conv c) {
        int n = 0;
        for (ChatStore.Msg m : c.bySeq.tailMap(Math.max(c.myRead, c.joinedSeq), false).values()) {
            if (!m.sender.equals(s.userId) && !m.deleted()) {
                n++;
            }
        }
        return n;
    }

    private static Conversation toConversation(ChatStore s, ChatStore.Conv c) {
        List<Member> members = new ArrayList<>();
        for (ChatStore.Mem m : c.members) {
            members.add(new Member(m.userId(), role(m.role()), m.deliveredUpTo(), m.readUpTo()));
        }
        members.sort(Comparator.comparingInt(m -> m.role().ordinal()));
        Map.Entry<Long, ChatStore.Msg> last = c.bySeq.lastEntry();
        return new Conversation(c.id, "group".equals(c.kind) ? ConversationKind.GROUP : ConversationKind.DIRECT, c.title,
                List.copyOf(members), Math.max(c.lastSeq, last == null ? 0 : last.getKey()), c.myRead, unread(s, c),
                c.member, last == null ? null : toMessage(s, c, last.getValue()));
    }

    private static Role role(String r) {
        return switch (r) {
            case "owner" -> Role.OWNER;
            case "admin" -> Role.ADMIN;
            default -> Role.MEMBER;
        };
    }

    private static Message toMessage(ChatStore s, ChatStore.Conv c, ChatStore.Msg m) {
        boolean outgoing = m.sender.equals(s.userId);
        MessageState state;
        if (m.failure != null) {
            state = MessageState.FAILED;
        } else if (m.seq == 0) {
            state = MessageState.SENDING;
        } else if (!outgoing) {
            state = MessageState.RECEIVED;
        } else if (c != null && !m.withheldFrom.isEmpty()) {
            state = stateWithout(c, m, s.userId);
        } else if (c != null && m.seq <= c.othersRead) {
            state = MessageState.READ;
        } else if (c != null && m.seq <= c.othersDelivered) {
            state = MessageState.DELIVERED;
        } else {
            state = MessageState.SENT;
        }
        return new Message(m.id, m.conv, m.sender, m.seq, m.ts, m.deleted() ? new MessageContent.Deleted()
                : Codec.fromWire(m.content), state, outgoing, m.editedAt, m.reactions, m.failure);
    }

    /** The state of an own message from the marks of the members it reached (not those it was withheld from). */
    private static MessageState stateWithout(ChatStore.Conv c, ChatStore.Msg m, String me) {
        MessageState state = MessageState.SENT;
        for (ChatStore.Mem member : c.members) {
            if (member.userId().equals(me) || m.withheldFrom.contains(member.userId())) {
                continue;
            }
            if (m.seq <= member.readUpTo()) {
                return MessageState.READ;
            }
            if (m.seq <= member.deliveredUpTo()) {
                state = MessageState.DELIVERED;
            }
        }
        return state;
    }

    private static ChatStore.Msg copy(ChatStore.Msg m) {
        ChatStore.Msg n = new ChatStore.Msg();
        n.id = m.id;
        n.conv = m.conv;
        n.sender = m.sender;
        n.seq = m.seq;
        n.ts = m.ts;
        n.content = m.content;
        n.editedAt = m.editedAt;
        n.reactions = m.reactions;
        n.failure = m.failure;
        n.withheldFrom = m.withheldFrom;
        return n;
    }

    private static Map<String, List<String>> reactions(Object o) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        Codec.map(o).forEach((k, v) -> {
            List<String> users = new ArrayList<>();
            Codec.list(v).forEach(u -> users.add(String.valueOf(u)));
            out.put(k, List.copyOf(users));
        });
        return out.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(out);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw M800Exception.invalidArgument(field + " must not be blank");
        }
    }

    private static void checkTitle(String title) {
        if (title == null || title.isBlank() || title.codePointCount(0, title.length()) > MAX_TITLE_CHARS) {
            throw M800Exception.invalidArgument("title must be 1 to " + MAX_TITLE_CHARS + " characters, not blank");
        }
    }

    private static String hash(String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
