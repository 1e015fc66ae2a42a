package org.m800.sdk.chat.internal;

import static org.m800.sdk.chat.internal.ChatInput.checkTitle;
import static org.m800.sdk.chat.internal.ChatInput.requireText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageContent;
import org.m800.sdk.chat.MessageUpdate;
import org.m800.sdk.chat.Role;
import org.m800.sdk.chat.Sending;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatManager} on the {@link FeatureManager} base: checks input, routes server events to the
 * {@link ChatStore} of the logged-in user (which owns the state and queues the listeners' events), and
 * delegates sending to the {@link Outbox} and catching up to {@link ChatSync}. The store is opened on
 * the disk executor at log-in; a call that needs it before then opens it on the caller's thread.
 */
public final class ChatManagerImpl extends FeatureManager implements ChatManager {
    private static final Logger LOG = LoggerFactory.getLogger(ChatManagerImpl.class);
    /** Hex digits of the user-id hash that name the user's chat folder. */
    private static final int FOLDER_HASH_DIGITS = 24;

    private final ListenerList<ChatListener> listeners = newListenerList("chat listener");
    private final Outbox outbox;
    private final ChatSync chatSync;
    private final DeliveryReceipts receipts;
    private final Subscription gapWatch;
    private final Subscription runWatch;
    /** A resync after a gap failed (the connection dropped): the next connection does it again. */
    private volatile boolean gapPending;

    /** Makes storing a message and handing it to the outbox one step; held briefly, never while calling out. */
    private final Object sendOrder = new Object();
    /** Serialises opening and closing stores (disk work); never held while calling out. */
    private final Object storeLock = new Object();
    private volatile ChatStore store;
    // guarded by storeLock
    private boolean synced;
    /** How long {@link #history} waits for a first sync that has not finished. */
    private static final long FIRST_SYNC_WAIT_SECONDS = 10;
    /** Completes when the current store's first sync has finished; replaced with the store. */
    private CompletableFuture<Void> firstSync = new CompletableFuture<>();

    /** Builds the module: deps are {@link FeatureManager#DEPENDENCIES}. */
    public ChatManagerImpl(ModuleContext ctx) {
        super(ctx);
        this.outbox = new Outbox(ctx.clientId(), () -> store,
                () -> connectService().state() == ConnectionState.CONNECTED, this::rawRequest, ctx.scheduler(),
                ctx.eventExecutor());
        this.chatSync = new ChatSync(this::request, this::received, this::refreshed);
        this.receipts = new DeliveryReceipts(ctx.clientId(), this::request, ctx.scheduler(), ctx.eventExecutor());
        subscribe("chat.*", this::onEvent);
        subscribe("group.*", this::onEvent);
        this.gapWatch = connectService().onEventsMissed(this::eventsMissed);
        this.runWatch = connectService().aroundEventRuns(this::aroundRun);
        start();
    }

    /**
     * The outbox's requests: the connection's own futures (not tracked copies), so that cancelling one
     * withdraws it from what the connection sends again; the outbox's futures are never handed out.
     */
    private CompletableFuture<Map<String, Object>> rawRequest(String type, Map<String, ?> data) {
        try {
            return connectService().request(type, data);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ================================================================ session

    @Override
    protected void onLoggedIn(String userId) {
        openStore(userId);
        outbox.pump();
    }

    @Override
    protected void onLoggedOut() {
        closeStore();
        outbox.pump(); // forgets what was in flight for the old store
    }

    @Override
    protected void onConnected() {
        outbox.pump();
        ChatStore s = store;
        boolean doSync;
        synchronized (storeLock) {
            doSync = s != null && !synced;
            synced = true;
        }
        if (doSync) {
            runSync(s);
        }
        if (gapPending && s != null) {
            resyncAfterGap(s);
        }
    }

    @Override
    protected void onClose() {
        gapWatch.close();
        runWatch.close();
        outbox.close();
        closeStore();
    }

    private ChatStore openStore(String userId) {
        synchronized (storeLock) {
            ChatStore s = store;
            if (s != null && s.userId.equals(userId) && !s.isClosed()) {
                return s;
            }
            checkOpen();
            if (s != null) {
                s.close();
            }
            s = ChatStore.open(context().dataDirectory().resolve("chat").resolve(userIdHash(userId,
                    FOLDER_HASH_DIGITS)), userId, scheduler(), diskExecutor(), listeners);
            store = s;
            synced = false;
            firstSync.completeExceptionally(new M800Exception(ErrorCode.CLOSED, "the user of client " + clientId()
                    + " changed before the first chat sync finished"));
            firstSync = new CompletableFuture<>();
            LOG.debug("client {}: chat store open: {} conversations and messages, {} in the outbox", clientId(),
                    s.size(), s.outboxIds().size());
            return s;
        }
    }

    private void closeStore() {
        synchronized (storeLock) {
            if (store != null) {
                store.close();
                store = null;
            }
            firstSync.completeExceptionally(new M800Exception(ErrorCode.CLOSED, "client " + clientId()
                    + " logged out or closed before the first chat sync finished"));
        }
    }

    /**
     * @return the store of the logged-in user, opened here if the log-in hook has not run yet
     * @throws M800Exception CLOSED, or ILLEGAL_STATE if no user is logged in
     */
    private ChatStore requireStore() {
        checkOpen();
        ChatStore s = store;
        if (s != null && !s.isClosed()) {
            return s;
        }
        String user = userId();
        if (user == null) {
            user = accountManager().profile().map(Profile::userId).orElse(null);
        }
        if (user == null) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "no user is logged in to client " + clientId());
        }
        return openStore(user);
    }

    /** @return the store for a read, or null when no user is logged in */
    private ChatStore storeForRead() {
        try {
            return requireStore();
        } catch (M800Exception e) {
            return null;
        }
    }

    private void runSync(ChatStore s) {
        chatSync.run(s).whenComplete((v, t) -> {
            if (t == null) {
                CompletableFuture<Void> first;
                synchronized (storeLock) {
                    first = store == s ? firstSync : null;
                }
                if (first != null) {
                    // on the event executor, behind the events of what the sync stored: whoever waits
                    // on firstSync() has heard them when it completes
                    eventExecutor().execute(() -> {
                        if (first.complete(null)) {
                            listeners.emit(ChatListener::synced);
                        }
                    });
                }
            } else {
                LOG.debug("client {}: chat sync failed: {}", clientId(), t.toString());
                synchronized (storeLock) {
                    if (store == s) {
                        synced = false;
                    }
                }
            }
        });
    }

    // ================================================================ server events

    private void onEvent(ServerEvent e) {
        ChatStore s = storeForRead();
        if (s == null) {
            return;
        }
        Map<String, Object> d = e.data();
        try {
            switch (e.type()) {
                case "chat.message" -> received(s, ChatWire.WireMessage.of(d));
                case "chat.receipt" -> s.receipt(ChatWire.Receipt.of(d));
                case "chat.edited" -> s.change(ChatWire.Change.edited(d), MessageUpdate.EDITED);
                case "chat.deleted" -> s.change(ChatWire.Change.deleted(d), MessageUpdate.DELETED);
                case "chat.reaction" -> s.change(ChatWire.Change.reaction(d), MessageUpdate.REACTIONS);
                case "chat.typing" -> {
                    if (e.timestamp() >= System.currentTimeMillis() - TYPING_TIMEOUT_MS) {
                        s.typing(ChatWire.Typing.of(d));
                    }
                }
                case "group.updated" -> {
                    if (!s.groupUpdated(ChatWire.GroupUpdate.of(d))) {
                        runSync(s); // a change of a group this device does not have yet: fetch it
                    }
                }
                default -> LOG.debug("client {}: ignoring event {}", clientId(), e.type());
            }
        } catch (M800Exception ex) {
            LOG.warn("client {}: cannot apply chat event #{} {}: {}", clientId(), e.seq(), e.type(), ex.getMessage());
        }
    }

    /** A run of server events: their store changes leave in one write, before the run is acknowledged. */
    private void aroundRun(Runnable run) {
        ChatStore s = store;
        try {
            if (s == null || s.isClosed()) {
                run.run();
            } else {
                s.batch(run);
            }
        } catch (M800Exception e) {
            // the store closed meanwhile (the connection then delivers the run itself), or its write failed
            LOG.warn("client {}: chat changes of a run of events: {}", clientId(), e.getMessage());
        }
    }

    /**
     * The server said, as the connection resumed, that events after this client's resume point are gone
     * from its log (retention, docs/protocol.md 8.3): the messages, edits and group changes they carried
     * are fetched again. (A jump in the seqs is no sign of it: on a version 2 connection the seqs of this
     * device's own messages are skipped.)
     */
    private void eventsMissed() {
        ChatStore s = store;
        if (s == null) {
            gapPending = true;
            return;
        }
        LOG.info("client {}: events are gone from the server's log: resynchronising chat", clientId());
        resyncAfterGap(s);
    }

    private void resyncAfterGap(ChatStore s) {
        gapPending = false;
        chatSync.run(s, true).whenComplete((v, t) -> {
            if (t != null) {
                LOG.warn("client {}: chat resync after a gap failed, again at the next connection: {}", clientId(),
                        t.toString());
                gapPending = store == s;
            }
        });
    }

    /** A message of the server: stored once, acknowledged, and an own one accepted. */
    private void received(ChatStore s, ChatWire.WireMessage w) {
        handled(s, w, s.incoming(w));
    }

    /** A message of a resync after a gap: as {@link #received}, and a stored one brought up to date. */
    private void refreshed(ChatStore s, ChatWire.WireMessage w) {
        handled(s, w, s.refreshed(w));
    }

    private void handled(ChatStore s, ChatWire.WireMessage w, ChatStore.Incoming r) {
        if (r.fromOthers()) {
            receipts.delivered(w.conversationId(), w.seq());
        }
        if (r.ownAccepted()) {
            outbox.accept(s, w.id(), w.seq(), w.ts());
        }
        if (r.fetchConversation()) {
            runSync(s);
        }
    }

    // ================================================================ sending

    @Override
    public Sending send(String conversationId, MessageContent content) {
        Map<String, Object> wire = Codec.toWire(content);
        requireText("conversationId", conversationId);
        ChatStore s = requireStore();
        String id = MessageIds.next();
        CompletableFuture<Message> accepted = new CompletableFuture<>();
        Message stored;
        synchronized (sendOrder) {
            // the outbox learns of messages in the order they were stored
            stored = s.addOutgoing(conversationId, id, wire);
            outbox.added(id, accepted);
        }
        CompletableFuture<Message> handedOut = track(accepted);
        outbox.pump();
        return new Sending(stored, handedOut);
    }

    // ================================================================ requests

    private CompletableFuture<Conversation> conversationRequest(String type, Map<String, ?> data) {
        ChatStore s = requireStore();
        return request(type, data).thenApply(answer -> s.conversationAnswer(ChatWire.WireConversation.of(answer)));
    }

    @Override
    public CompletableFuture<Conversation> openDirect(String userId) {
        return attempt(() -> {
            requireText("userId", userId);
            return conversationRequest("chat.direct", Map.of("userId", userId));
        });
    }

    @Override
    public CompletableFuture<Conversation> createGroup(String title, List<String> memberUserIds) {
        return attempt(() -> {
            checkTitle(title);
            if (memberUserIds == null || memberUserIds.stream().anyMatch(Objects::isNull)) {
                throw M800Exception.invalidArgument("memberUserIds must be a list of user ids without null");
            }
            if (memberUserIds.size() + 1 > MAX_GROUP_MEMBERS) {
                throw M800Exception.invalidArgument("a group has at most " + MAX_GROUP_MEMBERS + " members");
            }
            return conversationRequest("group.create", Map.of("title", title, "members", List.copyOf(memberUserIds)));
        });
    }

    @Override
    public CompletableFuture<Conversation> rename(String conversationId, String title) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            checkTitle(title);
            return conversationRequest("group.rename", Map.of("conversationId", conversationId, "title", title));
        });
    }

    @Override
    public CompletableFuture<Conversation> invite(String conversationId, List<String> userIds) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            if (userIds == null || userIds.isEmpty() || userIds.stream().anyMatch(Objects::isNull)) {
                throw M800Exception.invalidArgument("userIds must name at least one user and hold no null");
            }
            return conversationRequest("group.invite", Map.of("conversationId", conversationId, "userIds",
                    List.copyOf(userIds)));
        });
    }

    @Override
    public CompletableFuture<Conversation> removeMember(String conversationId, String userId) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            requireText("userId", userId);
            return conversationRequest("group.remove", Map.of("conversationId", conversationId, "userId", userId));
        });
    }

    @Override
    public CompletableFuture<Void> leave(String conversationId) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            ChatStore s = requireStore();
            return request("group.leave", Map.of("conversationId", conversationId)).thenAccept(a -> s.left(conversationId));
        });
    }

    @Override
    public CompletableFuture<Conversation> setRole(String conversationId, String userId, Role role) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            requireText("userId", userId);
            if (role != Role.ADMIN && role != Role.MEMBER) {
                throw M800Exception.invalidArgument("role must be ADMIN or MEMBER (ownership passes when the owner leaves)");
            }
            return conversationRequest("group.role", Map.of("conversationId", conversationId, "userId", userId, "role",
                    role.name().toLowerCase(Locale.ROOT)));
        });
    }

    @Override
    public List<Conversation> conversations() {
        ChatStore s = storeForRead();
        return s == null ? List.of() : s.conversations();
    }

    @Override
    public Optional<Conversation> conversation(String conversationId) {
        ChatStore s = storeForRead();
        return s == null ? Optional.empty() : s.conversation(conversationId);
    }

    @Override
    public CompletableFuture<Void> firstSync() {
        return attempt(() -> {
            requireStore();
            return firstSyncOfStore();
        });
    }

    /** A copy of the current store's first-sync future (a caller's cancel does not touch the original). */
    private CompletableFuture<Void> firstSyncOfStore() {
        synchronized (storeLock) {
            return firstSync.copy();
        }
    }

    @Override
    public CompletableFuture<Void> sync() {
        // completed on the event executor, behind the events of what the sync stored (see sync())
        return attempt(() -> chatSync.run(requireStore())
                .thenCompose(done -> CompletableFuture.runAsync(() -> { }, eventExecutor())));
    }

    @Override
    public CompletableFuture<Message> edit(String conversationId, String messageId, String text) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            requireText("messageId", messageId);
            Codec.checkText(text);
            return messageRequest("chat.edit", Map.of("conversationId", conversationId, "messageId", messageId,
                    "text", text), messageId, ChatWire.Change::edited, MessageUpdate.EDITED);
        });
    }

    @Override
    public CompletableFuture<Message> delete(String conversationId, String messageId) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            requireText("messageId", messageId);
            return messageRequest("chat.delete", Map.of("conversationId", conversationId, "messageId", messageId),
                    messageId, ChatWire.Change::deleted, MessageUpdate.DELETED);
        });
    }

    @Override
    public CompletableFuture<Message> react(String conversationId, String messageId, String emoji, boolean add) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            requireText("messageId", messageId);
            requireText("emoji", emoji);
            if (emoji.codePointCount(0, emoji.length()) > 32) {
                throw M800Exception.invalidArgument("emoji must be at most 32 characters");
            }
            return messageRequest("chat.react", Map.of("conversationId", conversationId, "messageId", messageId,
                    "emoji", emoji, "add", add), messageId, ChatWire.Change::reaction, MessageUpdate.REACTIONS);
        });
    }

    private CompletableFuture<Message> messageRequest(String type, Map<String, ?> data, String messageId,
            Function<Map<String, Object>, ChatWire.Change> change, MessageUpdate what) {
        ChatStore s = requireStore();
        return request(type, data).thenApply(answer -> s.change(change.apply(answer), what).orElseThrow(
                () -> new M800Exception(ErrorCode.NOT_FOUND, "message " + messageId + " is not in the local store")));
    }

    @Override
    public CompletableFuture<Void> markRead(String conversationId) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            long upTo = requireStore().markRead(conversationId);
            return request("chat.receipt", Map.of("conversationId", conversationId, "kind", "read", "upTo", upTo))
                    .thenApply(a -> null);
        });
    }

    @Override
    public CompletableFuture<Void> typing(String conversationId, boolean typing) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            requireStore();
            return request("chat.typing", Map.of("conversationId", conversationId, "typing", typing))
                    .thenApply(a -> null);
        });
    }

    @Override
    public CompletableFuture<HistoryPage> history(String conversationId, long beforeSeq, int limit) {
        return history(conversationId, beforeSeq, limit, true);
    }

    /** @param mayWait whether to wait for the first sync if it has not finished */
    private CompletableFuture<HistoryPage> history(String conversationId, long beforeSeq, int limit, boolean mayWait) {
        return attempt(() -> {
            requireText("conversationId", conversationId);
            if (limit < 1 || limit > MAX_PAGE) {
                throw M800Exception.invalidArgument("limit must be 1 to " + MAX_PAGE);
            }
            if (beforeSeq < 0) {
                throw M800Exception.invalidArgument("beforeSeq must be 0 (newest) or a seq");
            }
            ChatStore s = requireStore();
            CompletableFuture<Void> first = firstSyncOfStore();
            if (mayWait && !first.isDone() && s.conversation(conversationId).isEmpty()) {
                // a conversation the first sync is about to bring: answer after it, not NOT_FOUND before it
                scheduler().schedule(() -> first.complete(null), FIRST_SYNC_WAIT_SECONDS, TimeUnit.SECONDS);
                return first.handle((v, t) -> null).thenCompose(x -> history(conversationId, beforeSeq, limit, false));
            }
            List<Message> local = new ArrayList<>();
            Optional<HistoryPage> page = s.localPage(conversationId, beforeSeq, limit, local);
            if (page.isPresent()) {
                return CompletableFuture.completedFuture(page.get());
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("conversationId", conversationId);
            if (beforeSeq > 0) {
                data.put("before", beforeSeq);
            }
            data.put("limit", limit);
            return request("chat.history", data).thenApply(answer -> s.serverPage(conversationId, beforeSeq, limit,
                    local, ChatWire.HistoryAnswer.of(answer)));
        });
    }

    @Override
    public Optional<Message> message(String messageId) {
        ChatStore s = storeForRead();
        return s == null ? Optional.empty() : s.message(messageId);
    }

    @Override
    public Optional<Message> message(String senderId, String messageId) {
        ChatStore s = storeForRead();
        return s == null ? Optional.empty() : s.message(senderId, messageId);
    }

    @Override
    public int unreadCount(String conversationId) {
        ChatStore s = storeForRead();
        return s == null ? 0 : s.unreadCount(conversationId);
    }

    @Override
    public List<Message> outbox() {
        ChatStore s = storeForRead();
        return s == null ? List.of() : s.outbox();
    }

    @Override
    public Subscription addListener(ChatListener listener) {
        return listeners.add(listener);
    }

    /** @return the store of the logged-in user, or null (tests) */
    ChatStore currentStore() {
        return store;
    }
}
