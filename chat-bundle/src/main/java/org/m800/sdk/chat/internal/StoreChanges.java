package org.m800.sdk.chat.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.GroupChange;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageUpdate;
import org.m800.sdk.chat.TypingEvent;
import org.m800.sdk.chat.internal.ChatStore.Incoming;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * Every change of a {@link ChatStore}: outgoing messages, their acceptance or refusal, what the server
 * sends (messages, receipts, edits, group deltas), read marks and sync. Each applies to the
 * {@link ChatIndex}, writes its records through the {@link StoreJournal} and tells the listeners
 * through it, in that order; one that writes several records runs as one group (one write).
 *
 * <p>Not thread-safe: used only under its {@link ChatStore}'s monitor.
 */
final class StoreChanges {

    private final String userId;
    private final ChatIndex index;
    private final StoreJournal journal;

    StoreChanges(ChatIndex index, StoreJournal journal) {
        this.userId = index.userId;
        this.index = index;
        this.journal = journal;
    }

    private void save(StoredMessage m) {
        journal.write(StoreRecords.message(m));
        index.index(m);
    }

    private void save(StoredConversation c) {
        journal.write(StoreRecords.conversation(c));
    }

    /**
     * Stores a new outgoing message in the outbox.
     *
     * @throws M800Exception NOT_FOUND for an unknown conversation or one the user left
     */
    Message addOutgoing(String conversationId, String id, Map<String, Object> content) {
        StoredConversation c = index.find(conversationId);
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
        return index.view(c, m);
    }

    /** The server accepted an own message; @return its new view, or null if it was not waiting. */
    Message accept(String id, long seq, long ts) {
        if (journal.isClosed()) {
            return null;
        }
        StoredMessage m = index.find(userId, id);
        if (m == null || m.seq != 0) {
            return null;
        }
        StoredMessage a = m.copy();
        a.seq = seq;
        a.ts = ts;
        a.failure = null;
        save(a);
        Message snapshot = index.view(index.find(a.conv), a);
        journal.tell(l -> l.messageUpdated(snapshot, MessageUpdate.STATE));
        return snapshot;
    }

    /** The server refused an own message for good; @return its FAILED view, or null if it was not waiting. */
    Message refuse(String id, M800Exception why) {
        if (journal.isClosed()) {
            return null;
        }
        StoredMessage m = index.find(userId, id);
        if (m == null || m.seq != 0 || m.failure != null) {
            return null;
        }
        StoredMessage f = m.copy();
        f.failure = why.code() + ": " + why.getMessage();
        save(f);
        Message snapshot = index.view(index.find(f.conv), f);
        journal.tell(l -> l.messageUpdated(snapshot, MessageUpdate.STATE));
        return snapshot;
    }

    // ------------------------------------------------------------ from the server

    /** Stores a message from the server unless this device has it (by sender and id). */
    Incoming incoming(ChatWire.WireMessage w) {
        return journal.grouped(() -> incomingGrouped(w));
    }

    private Incoming incomingGrouped(ChatWire.WireMessage w) {
        StoredMessage known = index.find(w.senderId(), w.id());
        if (known != null) {
            return known.seq == 0 && known.sender.equals(userId) ? new Incoming(false, true, false) : Incoming.KNOWN;
        }
        boolean fetchConversation = false;
        StoredConversation c = index.find(w.conversationId());
        if (c == null) {
            boolean direct = !"group".equals(w.kind());
            c = index.conv(w.conversationId(), direct ? "direct" : "group");
            if (direct) {
                c.members = List.of(new StoredMember(userId, "member", 0, 0), new StoredMember(w.senderId(), "member", 0, 0));
            }
            save(c);
            fetchConversation = !direct;
            Conversation created = index.view(c);
            journal.tell(l -> l.conversationUpdated(created, new GroupChange(GroupChange.Kind.CREATED,
                    w.senderId(), List.of())));
        }
        StoredMessage m = w.toMsg();
        save(m);
        Message received = index.view(c, m);
        journal.tell(l -> l.messageReceived(received));
        return new Incoming(!w.senderId().equals(userId), false, fetchConversation);
    }

    /** A member's delivery or read marks moved. */
    void receipt(ChatWire.Receipt r) {
        journal.grouped(() -> receiptGrouped(r));
    }

    private Void receiptGrouped(ChatWire.Receipt r) {
        StoredConversation c = index.find(r.conversationId());
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
                Conversation marker = index.view(c);
                journal.tell(l -> l.conversationUpdated(marker, new GroupChange(GroupChange.Kind.READ_MARKER, user,
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
    Optional<Message> change(ChatWire.Change ch, MessageUpdate what) {
        StoredConversation c = index.find(ch.conversationId());
        StoredMessage m = c == null ? null : c.bySeq.get(ch.seq());
        if (m == null || !m.id.equals(ch.messageId())) {
            return Optional.empty();
        }
        StoredMessage n = m.copy();
        switch (what) {
            case EDITED -> {
                if (m.deleted() || (ch.editedAt() == m.editedAt && ch.content().equals(m.content))) {
                    return Optional.of(index.view(c, m));
                }
                n.content = ch.content();
                n.editedAt = ch.editedAt();
            }
            case DELETED -> {
                if (m.deleted()) {
                    return Optional.of(index.view(c, m));
                }
                n.content = null;
                n.reactions = Map.of();
            }
            default -> {
                if (ch.reactions().equals(m.reactions)) {
                    return Optional.of(index.view(c, m));
                }
                n.reactions = ch.reactions();
            }
        }
        save(n);
        Message snapshot = index.view(c, n);
        journal.tell(l -> l.messageUpdated(snapshot, what));
        return Optional.of(snapshot);
    }

    /** Another member typing; dropped for the user's own devices. */
    void typing(ChatWire.Typing t) {
        if (!t.userId().equals(userId)) {
            TypingEvent e = new TypingEvent(t.conversationId(), t.userId(), t.typing());
            journal.tell(l -> l.typing(e));
        }
    }

    /**
     * A group changed ({@code group.updated}): the whole conversation if the event has it, else the
     * change applied to the stored one.
     *
     * @return false if the event holds only a change of a conversation this store does not have (the
     *         caller syncs to get it)
     */
    boolean groupUpdated(ChatWire.GroupUpdate g) {
        ChatWire.WireConversation w = g.conversation();
        if (w == null) {
            StoredConversation c = index.find(g.conversationId());
            if (c == null) {
                return false;
            }
            w = g.after(c.kind, c.title, c.lastSeq, c.members.stream().map(m -> new ChatWire.WireMember(m.userId(),
                    m.role(), m.deliveredUpTo(), m.readUpTo())).toList());
        }
        Conversation snapshot = index.view(apply(w));
        GroupChange change = new GroupChange(g.kind(), g.actor(), g.userIds());
        journal.tell(l -> l.conversationUpdated(snapshot, change));
        return true;
    }

    /** A conversation object in an answer; @return its view. */
    Conversation conversationAnswer(ChatWire.WireConversation w) {
        return index.view(apply(w));
    }

    private StoredConversation apply(ChatWire.WireConversation w) {
        StoredConversation known = index.find(w.id());
        long oldDelivered = known == null ? 0 : known.othersDelivered;
        long oldRead = known == null ? 0 : known.othersRead;
        StoredConversation c = index.conv(w.id(), w.kind());
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
                Message moved = index.view(c, m);
                journal.tell(l -> l.messageUpdated(moved, MessageUpdate.STATE));
            }
        }
    }

    /** The user left the group. */
    void left(String conversationId) {
        StoredConversation c = index.find(conversationId);
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
    long markRead(String conversationId) {
        StoredConversation c = index.require(conversationId);
        long upTo = Math.max(c.lastSeq, c.bySeq.isEmpty() ? 0 : c.bySeq.lastKey());
        if (upTo > c.myRead) {
            c.myRead = upTo;
            save(c);
            Conversation snapshot = index.view(c);
            journal.tell(l -> l.conversationUpdated(snapshot, new GroupChange(GroupChange.Kind.READ_MARKER, userId,
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
    long syncConversation(ChatWire.WireConversation w, int pages, int pageSize) {
        return journal.grouped(() -> syncGrouped(w, pages, pageSize));
    }

    private long syncGrouped(ChatWire.WireConversation w, int pages, int pageSize) {
        boolean isNew = !index.has(w.id());
        StoredConversation c = apply(w);
        if (isNew) {
            Conversation snapshot = index.view(c);
            journal.tell(l -> l.conversationUpdated(snapshot, new GroupChange(GroupChange.Kind.CREATED, null,
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
    Incoming refreshed(ChatWire.WireMessage w) {
        StoredMessage known = index.find(w.senderId(), w.id());
        if (known == null || known.seq != w.seq()) {
            return incoming(w);
        }
        if (w.content() == null) {
            change(new ChatWire.Change(w.conversationId(), w.id(), w.seq(), null, 0, Map.of()), MessageUpdate.DELETED);
        } else if (w.editedAt() != known.editedAt) {
            change(new ChatWire.Change(w.conversationId(), w.id(), w.seq(), w.content(), w.editedAt(), Map.of()),
                    MessageUpdate.EDITED);
        }
        if (!w.reactions().equals(index.find(w.senderId(), w.id()).reactions)) {
            change(new ChatWire.Change(w.conversationId(), w.id(), w.seq(), null, 0, w.reactions()),
                    MessageUpdate.REACTIONS);
        }
        return Incoming.KNOWN;
    }

    /**
     * After a gap in the event log: the user is no longer a member of the stored groups the server did
     * not list (removed or left while the events saying so were trimmed).
     */
    void notListed(Set<String> listed) {
        for (StoredConversation c : List.copyOf(index.all())) {
            if (c.member && "group".equals(c.kind) && !listed.contains(c.id)) {
                c.member = false;
                c.members = c.members.stream().filter(m -> !m.userId().equals(userId)).toList();
                save(c);
                Conversation gone = index.view(c);
                journal.tell(l -> l.conversationUpdated(gone, new GroupChange(GroupChange.Kind.REMOVED, null,
                        List.of(userId))));
            }
        }
    }

    /** Every message of the server's history up to {@code upTo} is now local. */
    void markSynced(String conversationId, long upTo) {
        StoredConversation c = index.find(conversationId);
        if (c != null && upTo > c.syncedTo) {
            c.syncedTo = upTo;
            save(c);
        }
    }

    /** Stores a history page of the server and returns it, with the unsent local messages first when newest. */
    HistoryPage serverPage(String conversationId, long beforeSeq, int limit, List<Message> local,
            ChatWire.HistoryAnswer answer) {
        return journal.grouped(() -> serverPageGrouped(conversationId, beforeSeq, limit, local, answer));
    }

    private HistoryPage serverPageGrouped(String conversationId, long beforeSeq, int limit, List<Message> local,
            ChatWire.HistoryAnswer answer) {
        StoredConversation c = index.find(conversationId);
        List<Message> page = new ArrayList<>();
        if (beforeSeq == 0) {
            for (Message m : local) {
                if (m.seq() == 0 && page.size() < limit) {
                    page.add(m);
                }
            }
        }
        for (ChatWire.WireMessage w : answer.messages()) {
            StoredMessage m = index.find(w.senderId(), w.id());
            if (m == null || m.seq == 0) {
                m = w.toMsg();
                m.conv = conversationId;
                save(m);
            }
            if (page.size() < limit) {
                page.add(index.view(c == null ? index.find(conversationId) : c, m));
            }
        }
        return new HistoryPage(List.copyOf(page), answer.hasMore());
    }
}
