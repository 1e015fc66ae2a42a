package org.m800.sdk.chat.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.GroupChange;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageUpdate;
import org.m800.sdk.chat.TypingEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;

/**
 * The chat state of one user, and the only code that changes it: conversations, messages (keyed by
 * (sender, message id), as the server de-duplicates them) and the outbox, kept in memory and in a
 * {@link ChatLog}. Every change is applied under this object's monitor, written to the log before the
 * method returns, and its event is queued to the listeners under the same monitor, so listeners hear
 * the changes in the order they happened and a read made after {@code addListener} returned plus the
 * events that follow is the whole picture.
 *
 * <p>Thread-safe. Opening replays the log: blocking disk work, done on the disk executor.
 */
final class ChatStore implements AutoCloseable {

    /** Records above which a log with mostly dead records is compacted on open. */
    static final int COMPACT_ABOVE = 10_000;

    /** What {@link #incoming} did. */
    record Incoming(boolean fromOthers, boolean ownAccepted, boolean fetchConversation) {
        static final Incoming KNOWN = new Incoming(false, false, false);
    }

    final String userId;
    private final ListenerList<ChatListener> listeners;
    private final Map<String, StoredConversation> convs = new HashMap<>();
    /** By {@link #key(String, String)}. */
    private final Map<String, StoredMessage> byKey = new HashMap<>();
    /** Own messages not yet accepted, in send order, by id. */
    private final LinkedHashMap<String, StoredMessage> outbox = new LinkedHashMap<>();
    private ChatLog log;
    /** The records of the running operation, written together at its end ({@link #grouped}); null: at once. */
    private List<Map<String, Object>> group;

    private ChatStore(String userId, ListenerList<ChatListener> listeners) {
        this.userId = userId;
        this.listeners = listeners;
    }

    static String key(String sender, String id) {
        return sender + '\n' + id;
    }

    /**
     * Opens the user's store in the folder: replays its log and compacts it when it holds more than
     * {@value #COMPACT_ABOVE} records and twice as many as live objects. Blocking disk work.
     *
     * @throws M800Exception ILLEGAL_STATE if the folder cannot be used
     */
    static ChatStore open(Path dir, String userId, ScheduledExecutorService scheduler, Executor disk,
            ListenerList<ChatListener> listeners) {
        ChatStore s = new ChatStore(userId, listeners);
        synchronized (s) {
            s.log = ChatLog.open(dir, scheduler, disk, s::replay);
            int live = s.convs.size() + s.byKey.size();
            if (s.log.records() > COMPACT_ABOVE && s.log.records() > 2 * live) {
                s.log.rewrite(StoreRecords.all(s.convs.values()));
            }
        }
        return s;
    }

    private void replay(Map<String, Object> record) {
        if ("c".equals(record.get("t"))) {
            StoreRecords.readConversation(record, this::conv);
        } else if ("m".equals(record.get("t"))) {
            index(StoreRecords.readMessage(record));
        }
    }

    /** @return the conversation, created empty if unknown */
    private StoredConversation conv(String id, String kind) {
        return convs.computeIfAbsent(id, k -> {
            StoredConversation c = new StoredConversation();
            c.id = id;
            c.kind = kind;
            return c;
        });
    }

    /** Puts a message into the in-memory index, replacing an older snapshot of it. */
    private void index(StoredMessage m) {
        StoredMessage old = byKey.put(m.key(), m);
        StoredConversation c = conv(m.conv, "direct");
        if (old != null) {
            c.unsent.remove(old.id);
            if (old.sender.equals(userId)) {
                outbox.remove(old.id);
            }
            if (old.seq > 0 && c.bySeq.get(old.seq) == old) {
                c.bySeq.remove(old.seq);
            }
        }
        if (m.seq > 0) {
            c.bySeq.put(m.seq, m);
            c.lastSeq = Math.max(c.lastSeq, m.seq);
        } else {
            c.unsent.put(m.id, m);
            if (m.failure == null && m.sender.equals(userId)) {
                outbox.put(m.id, m);
            }
        }
    }

    private void save(StoredMessage m) {
        write(StoreRecords.message(m));
        index(m);
    }

    private void save(StoredConversation c) {
        write(StoreRecords.conversation(c));
    }

    private void write(Map<String, Object> record) {
        if (group != null) {
            log();
            group.add(record);
        } else {
            log().append(record);
        }
    }

    /** Runs an operation that may save several records, which then leave in one write of the log. */
    private <T> T grouped(java.util.function.Supplier<T> operation) {
        group = new ArrayList<>();
        try {
            T result = operation.get();
            log().appendAll(group);
            return result;
        } finally {
            group = null;
        }
    }

    private ChatLog log() {
        if (log == null) {
            throw new M800Exception(ErrorCode.CLOSED, "the chat store of user " + userId + " is closed");
        }
        return log;
    }

    private Message view(StoredConversation c, StoredMessage m) {
        return ChatViews.message(userId, c, m);
    }

    private Conversation view(StoredConversation c) {
        return ChatViews.conversation(userId, c);
    }

    // ------------------------------------------------------------ outgoing

    /**
     * Stores a new outgoing message in the outbox.
     *
     * @throws M800Exception NOT_FOUND for an unknown conversation or one the user left
     */
    synchronized Message addOutgoing(String conversationId, String id, Map<String, Object> content) {
        StoredConversation c = convs.get(conversationId);
        if (c == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "unknown conversation '" + conversationId
                    + "' (open it with openDirect or createGroup, or wait for it to arrive)");
        }
        if (!c.member) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "you are no longer a member of conversation " + conversationId);
        }
        StoredMessage m = new StoredMessage();
        m.id = id;
        m.conv = conversationId;
        m.sender = userId;
        m.ts = System.currentTimeMillis();
        m.content = content;
        save(m);
        return view(c, m);
    }

    /** @return the outbox's message ids, in send order */
    synchronized List<String> outboxIds() {
        return List.copyOf(outbox.keySet());
    }

    /** @return what to send for an outbox message, or null if it left the outbox */
    synchronized StoredMessage outgoing(String id) {
        StoredMessage m = outbox.get(id);
        return m == null ? null : m.copy();
    }

    /** @return whether the message is still waiting in the outbox */
    synchronized boolean inOutbox(String id) {
        return outbox.containsKey(id);
    }

    /** The server accepted an own message; @return its new view, or null if it was not waiting. */
    synchronized Message accept(String id, long seq, long ts) {
        if (log == null) {
            return null;
        }
        StoredMessage m = byKey.get(key(userId, id));
        if (m == null || m.seq != 0) {
            return null;
        }
        StoredMessage a = m.copy();
        a.seq = seq;
        a.ts = ts;
        a.failure = null;
        save(a);
        Message snapshot = view(convs.get(a.conv), a);
        listeners.emit(l -> l.messageUpdated(snapshot, MessageUpdate.STATE));
        return snapshot;
    }

    /** The server refused an own message for good; @return its FAILED view, or null if it was not waiting. */
    synchronized Message refuse(String id, M800Exception why) {
        if (log == null) {
            return null;
        }
        StoredMessage m = byKey.get(key(userId, id));
        if (m == null || m.seq != 0 || m.failure != null) {
            return null;
        }
        StoredMessage f = m.copy();
        f.failure = why.code() + ": " + why.getMessage();
        save(f);
        Message snapshot = view(convs.get(f.conv), f);
        listeners.emit(l -> l.messageUpdated(snapshot, MessageUpdate.STATE));
        return snapshot;
    }

    // ------------------------------------------------------------ from the server

    /** Stores a message from the server unless this device has it (by sender and id). */
    synchronized Incoming incoming(ChatWire.WireMessage w) {
        return grouped(() -> incomingGrouped(w));
    }

    private Incoming incomingGrouped(ChatWire.WireMessage w) {
        StoredMessage known = byKey.get(key(w.senderId(), w.id()));
        if (known != null) {
            return known.seq == 0 && known.sender.equals(userId) ? new Incoming(false, true, false) : Incoming.KNOWN;
        }
        boolean fetchConversation = false;
        StoredConversation c = convs.get(w.conversationId());
        if (c == null) {
            boolean direct = !"group".equals(w.kind());
            c = conv(w.conversationId(), direct ? "direct" : "group");
            if (direct) {
                c.members = List.of(new StoredMember(userId, "member", 0, 0), new StoredMember(w.senderId(), "member", 0, 0));
            }
            save(c);
            fetchConversation = !direct;
            Conversation created = view(c);
            listeners.emit(l -> l.conversationUpdated(created, new GroupChange(GroupChange.Kind.CREATED,
                    w.senderId(), List.of())));
        }
        StoredMessage m = w.toMsg();
        save(m);
        Message received = view(c, m);
        listeners.emit(l -> l.messageReceived(received));
        return new Incoming(!w.senderId().equals(userId), false, fetchConversation);
    }

    /** A member's delivery or read marks moved. */
    synchronized void receipt(ChatWire.Receipt r) {
        grouped(() -> receiptGrouped(r));
    }

    private Void receiptGrouped(ChatWire.Receipt r) {
        StoredConversation c = convs.get(r.conversationId());
        if (c == null) {
            return null;
        }
        String user = r.userId();
        // own messages this user never got (it blocked us when they were sent): they stay undelivered
        for (long seq : r.withheld()) {
            StoredMessage m = c.bySeq.get(seq);
            if (m != null && m.sender.equals(userId) && !m.withheldFrom.contains(user)) {
                StoredMessage n = m.copy();
                List<String> users = new ArrayList<>(m.withheldFrom);
                users.add(user);
                n.withheldFrom = List.copyOf(users);
                save(n);
            }
        }
        List<StoredMember> members = new ArrayList<>();
        for (StoredMember m : c.members) {
            members.add(m.userId().equals(user) ? new StoredMember(user, m.role(), Math.max(r.deliveredUpTo(),
                    m.deliveredUpTo()), Math.max(r.readUpTo(), m.readUpTo())) : m);
        }
        c.members = List.copyOf(members);
        if (user.equals(userId)) {
            if (r.readUpTo() > c.myRead) {
                c.myRead = r.readUpTo();
                Conversation marker = view(c);
                listeners.emit(l -> l.conversationUpdated(marker, new GroupChange(GroupChange.Kind.READ_MARKER, user,
                        List.of(user))));
            }
        } else {
            long newDelivered = Math.max(c.othersDelivered, Math.max(r.deliveredUpTo(), r.readUpTo()));
            long newRead = Math.max(c.othersRead, r.readUpTo());
            if (newDelivered != c.othersDelivered || newRead != c.othersRead) {
                long oldDelivered = c.othersDelivered;
                long oldRead = c.othersRead;
                c.othersDelivered = newDelivered;
                c.othersRead = newRead;
                stateMoved(c, oldDelivered, oldRead, user);
            }
        }
        save(c);
        return null;
    }

    /** An edit, a deletion or a reaction of the message at the change's seq; @return its view, or empty. */
    synchronized Optional<Message> change(ChatWire.Change ch, MessageUpdate what) {
        StoredConversation c = convs.get(ch.conversationId());
        StoredMessage m = c == null ? null : c.bySeq.get(ch.seq());
        if (m == null || !m.id.equals(ch.messageId())) {
            return Optional.empty();
        }
        StoredMessage n = m.copy();
        switch (what) {
            case EDITED -> {
                if (m.deleted() || (ch.editedAt() == m.editedAt && ch.content().equals(m.content))) {
                    return Optional.of(view(c, m));
                }
                n.content = ch.content();
                n.editedAt = ch.editedAt();
            }
            case DELETED -> {
                if (m.deleted()) {
                    return Optional.of(view(c, m));
                }
                n.content = null;
                n.reactions = Map.of();
            }
            default -> {
                if (ch.reactions().equals(m.reactions)) {
                    return Optional.of(view(c, m));
                }
                n.reactions = ch.reactions();
            }
        }
        save(n);
        Message snapshot = view(c, n);
        listeners.emit(l -> l.messageUpdated(snapshot, what));
        return Optional.of(snapshot);
    }

    /** Another member typing; dropped for the user's own devices. */
    synchronized void typing(ChatWire.Typing t) {
        if (!t.userId().equals(userId)) {
            TypingEvent e = new TypingEvent(t.conversationId(), t.userId(), t.typing());
            listeners.emit(l -> l.typing(e));
        }
    }

    /**
     * A group changed ({@code group.updated}): the whole conversation if the event has it, else the
     * change applied to the stored one.
     *
     * @return false if the event holds only a change of a conversation this store does not have (the
     *         caller syncs to get it)
     */
    synchronized boolean groupUpdated(ChatWire.GroupUpdate g) {
        ChatWire.WireConversation w = g.conversation();
        if (w == null) {
            StoredConversation c = convs.get(g.conversationId());
            if (c == null) {
                return false;
            }
            w = g.after(c.kind, c.title, c.lastSeq, c.members.stream().map(m -> new ChatWire.WireMember(m.userId(),
                    m.role(), m.deliveredUpTo(), m.readUpTo())).toList());
        }
        Conversation snapshot = view(apply(w));
        GroupChange change = new GroupChange(g.kind(), g.actor(), g.userIds());
        listeners.emit(l -> l.conversationUpdated(snapshot, change));
        return true;
    }

    /** A conversation object in an answer; @return its view. */
    synchronized Conversation conversationAnswer(ChatWire.WireConversation w) {
        return view(apply(w));
    }

    private StoredConversation apply(ChatWire.WireConversation w) {
        StoredConversation known = convs.get(w.id());
        long oldDelivered = known == null ? 0 : known.othersDelivered;
        long oldRead = known == null ? 0 : known.othersRead;
        StoredConversation c = conv(w.id(), w.kind());
        c.apply(w, userId);
        save(c);
        if (known != null) {
            // the members' marks in a conversation object (a sync) move states too: the listeners hear it
            stateMoved(c, oldDelivered, oldRead, null);
        }
        return c;
    }

    /**
     * Tells the listeners of the own messages whose state moved with the other members' marks: those in
     * (oldDelivered, now delivered] and (oldRead, now read].
     *
     * @param byUser the member whose receipt moved them (its withheld messages do not move), or null
     */
    private void stateMoved(StoredConversation c, long oldDelivered, long oldRead, String byUser) {
        NavigableMap<Long, StoredMessage> changed = new TreeMap<>();
        if (c.othersDelivered > oldDelivered) {
            changed.putAll(c.bySeq.subMap(oldDelivered, false, c.othersDelivered, true));
        }
        if (c.othersRead > oldRead) {
            changed.putAll(c.bySeq.subMap(oldRead, false, c.othersRead, true));
        }
        for (StoredMessage m : changed.values()) {
            if (m.sender.equals(userId) && (byUser == null || !m.withheldFrom.contains(byUser))) {
                Message moved = view(c, m);
                listeners.emit(l -> l.messageUpdated(moved, MessageUpdate.STATE));
            }
        }
    }

    /** The user left the group. */
    synchronized void left(String conversationId) {
        StoredConversation c = convs.get(conversationId);
        if (c != null && c.member) {
            c.member = false;
            save(c);
        }
    }

    /**
     * Moves the user's read marker to the newest message.
     *
     * @return the seq the marker is now at
     * @throws M800Exception NOT_FOUND for an unknown conversation
     */
    synchronized long markRead(String conversationId) {
        StoredConversation c = convs.get(conversationId);
        if (c == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "unknown conversation '" + conversationId + "'");
        }
        long upTo = Math.max(c.lastSeq, c.bySeq.isEmpty() ? 0 : c.bySeq.lastKey());
        if (upTo > c.myRead) {
            c.myRead = upTo;
            save(c);
            Conversation snapshot = view(c);
            listeners.emit(l -> l.conversationUpdated(snapshot, new GroupChange(GroupChange.Kind.READ_MARKER, userId,
                    List.of(userId))));
        }
        return upTo;
    }

    // ------------------------------------------------------------ sync

    /**
     * Applies a conversation of the server's list and says from where its history must be fetched.
     *
     * @param pages how many pages of {@code pageSize} a sync fetches at most
     * @return the seq after which to fetch, or -1 if the local copy is complete
     */
    synchronized long syncConversation(ChatWire.WireConversation w, int pages, int pageSize) {
        return grouped(() -> syncGrouped(w, pages, pageSize));
    }

    private long syncGrouped(ChatWire.WireConversation w, int pages, int pageSize) {
        boolean isNew = !convs.containsKey(w.id());
        StoredConversation c = apply(w);
        if (isNew) {
            Conversation snapshot = view(c);
            listeners.emit(l -> l.conversationUpdated(snapshot, new GroupChange(GroupChange.Kind.CREATED, null,
                    List.of())));
        }
        // from the end of what is known to be complete, not from the newest local message: a live
        // message may have overtaken one that arrived while this feature was away
        long complete = c.contiguousFrom(Math.max(c.syncedTo, c.joinedSeq));
        if (w.lastSeq() <= complete) {
            if (complete > c.syncedTo) {
                c.syncedTo = complete;
                save(c);
            }
            return -1;
        }
        return Math.max(complete, w.lastSeq() - (long) pages * pageSize);
    }

    /**
     * A message of a resync after a gap in the event log: stored if new, else its missed edit, deletion
     * and reactions applied.
     */
    synchronized Incoming refreshed(ChatWire.WireMessage w) {
        StoredMessage known = byKey.get(key(w.senderId(), w.id()));
        if (known == null || known.seq != w.seq()) {
            return incoming(w);
        }
        if (w.content() == null) {
            change(new ChatWire.Change(w.conversationId(), w.id(), w.seq(), null, 0, Map.of()), MessageUpdate.DELETED);
        } else if (w.editedAt() != known.editedAt) {
            change(new ChatWire.Change(w.conversationId(), w.id(), w.seq(), w.content(), w.editedAt(), Map.of()),
                    MessageUpdate.EDITED);
        }
        if (!w.reactions().equals(byKey.get(key(w.senderId(), w.id())).reactions)) {
            change(new ChatWire.Change(w.conversationId(), w.id(), w.seq(), null, 0, w.reactions()),
                    MessageUpdate.REACTIONS);
        }
        return Incoming.KNOWN;
    }

    /**
     * After a gap in the event log: the user is no longer a member of the stored groups the server did
     * not list (removed or left while the events saying so were trimmed).
     */
    synchronized void notListed(java.util.Set<String> listed) {
        for (StoredConversation c : List.copyOf(convs.values())) {
            if (c.member && "group".equals(c.kind) && !listed.contains(c.id)) {
                c.member = false;
                c.members = c.members.stream().filter(m -> !m.userId().equals(userId)).toList();
                save(c);
                Conversation gone = view(c);
                listeners.emit(l -> l.conversationUpdated(gone, new GroupChange(GroupChange.Kind.REMOVED, null,
                        List.of(userId))));
            }
        }
    }

    /** Every message of the server's history up to {@code upTo} is now local. */
    synchronized void markSynced(String conversationId, long upTo) {
        StoredConversation c = convs.get(conversationId);
        if (c != null && upTo > c.syncedTo) {
            c.syncedTo = upTo;
            save(c);
        }
    }

    // ------------------------------------------------------------ reads

    synchronized List<Conversation> conversations() {
        List<StoredConversation> all = new ArrayList<>(convs.values());
        all.sort(Comparator.comparingLong(StoredConversation::activity).reversed().thenComparing(c -> c.id));
        List<Conversation> out = new ArrayList<>();
        for (StoredConversation c : all) {
            out.add(view(c));
        }
        return out;
    }

    synchronized Optional<Conversation> conversation(String conversationId) {
        StoredConversation c = convs.get(conversationId);
        return c == null ? Optional.empty() : Optional.of(view(c));
    }

    /** @return the message with that id: the user's own if there is one, else another sender's */
    synchronized Optional<Message> message(String messageId) {
        StoredMessage m = byKey.get(key(userId, messageId));
        if (m == null) {
            for (StoredMessage candidate : byKey.values()) {
                if (candidate.id.equals(messageId)) {
                    m = candidate;
                    break;
                }
            }
        }
        return m == null ? Optional.empty() : Optional.of(view(convs.get(m.conv), m));
    }

    /** @return the message of that sender with that id */
    synchronized Optional<Message> message(String senderId, String messageId) {
        StoredMessage m = byKey.get(key(senderId, messageId));
        return m == null ? Optional.empty() : Optional.of(view(convs.get(m.conv), m));
    }

    synchronized int unreadCount(String conversationId) {
        StoredConversation c = convs.get(conversationId);
        return c == null ? 0 : ChatViews.unread(userId, c);
    }

    synchronized List<Message> outbox() {
        List<Message> out = new ArrayList<>();
        for (StoredMessage m : outbox.values()) {
            out.add(view(convs.get(m.conv), m));
        }
        return out;
    }

    /** @return how many conversations and messages are stored */
    synchronized int size() {
        return convs.size() + byKey.size();
    }

    /**
     * A history page from the local store, if it has the whole page.
     *
     * @param local gets the page's messages found locally (also when incomplete)
     * @return the page, or empty when the server must be asked
     * @throws M800Exception NOT_FOUND for an unknown conversation
     */
    synchronized Optional<org.m800.sdk.chat.HistoryPage> localPage(String conversationId, long beforeSeq, int limit,
            List<Message> local) {
        StoredConversation c = convs.get(conversationId);
        if (c == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "unknown conversation '" + conversationId + "'");
        }
        return ChatViews.localPage(userId, c, beforeSeq, limit, local);
    }

    /** Stores a history page of the server and returns it, with the unsent local messages first when newest. */
    synchronized org.m800.sdk.chat.HistoryPage serverPage(String conversationId, long beforeSeq, int limit,
            List<Message> local, ChatWire.HistoryAnswer answer) {
        return grouped(() -> serverPageGrouped(conversationId, beforeSeq, limit, local, answer));
    }

    private org.m800.sdk.chat.HistoryPage serverPageGrouped(String conversationId, long beforeSeq, int limit,
            List<Message> local, ChatWire.HistoryAnswer answer) {
        StoredConversation c = convs.get(conversationId);
        List<Message> page = new ArrayList<>();
        if (beforeSeq == 0) {
            for (Message m : local) {
                if (m.seq() == 0 && page.size() < limit) {
                    page.add(m);
                }
            }
        }
        for (ChatWire.WireMessage w : answer.messages()) {
            StoredMessage m = byKey.get(key(w.senderId(), w.id()));
            if (m == null || m.seq == 0) {
                m = w.toMsg();
                m.conv = conversationId;
                save(m);
            }
            if (page.size() < limit) {
                page.add(view(c == null ? convs.get(conversationId) : c, m));
            }
        }
        return new org.m800.sdk.chat.HistoryPage(List.copyOf(page), answer.hasMore());
    }

    /** Forces and closes the file; later changes fail with CLOSED. Idempotent. */
    @Override
    public synchronized void close() {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    /** @return how many writes of the log this store made since it was opened (tests) */
    synchronized int logWrites() {
        return log().writes();
    }

    synchronized boolean isClosed() {
        return log == null;
    }
}
