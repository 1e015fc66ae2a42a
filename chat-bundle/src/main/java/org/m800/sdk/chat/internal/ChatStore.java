package org.m800.sdk.chat.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Message;
import org.m800.sdk.chat.MessageUpdate;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;

/**
 * The chat state of one user and the only way to it: conversations, messages (keyed by (sender,
 * message id), as the server de-duplicates them) and the outbox. It owns three parts and the one
 * monitor that guards them all: the in-memory {@link ChatIndex} and its reads, the
 * {@link StoreChanges} that change it, and the {@link StoreJournal} that writes the changes to the
 * {@link ChatLog} and then tells the listeners. Every change is applied under this object's monitor and
 * written before the method returns (or, inside {@link #batch}, before the batch returns), and its
 * event is queued to the listeners once written, in the order of the changes; so a listener hears only
 * what a crash of the JVM cannot lose, and a read made after {@code addListener} returned plus the events
 * that follow is the whole picture.
 *
 * <p>Thread-safe. Opening replays the log: blocking disk work, done on the disk executor.
 */
final class ChatStore implements AutoCloseable {

    /** Records above which a log with mostly dead records is compacted on open. */
    static final int COMPACT_ABOVE = StoreJournal.COMPACT_ABOVE;

    /** What {@link #incoming} did. */
    record Incoming(boolean fromOthers, boolean ownAccepted, boolean fetchConversation) {
        static final Incoming KNOWN = new Incoming(false, false, false);
    }

    final String userId;
    private final ChatIndex index;
    private final StoreJournal journal;
    private final StoreChanges changes;

    private ChatStore(ChatIndex index, StoreJournal journal) {
        this.userId = index.userId;
        this.index = index;
        this.journal = journal;
        this.changes = new StoreChanges(index, journal);
    }

    /**
     * Opens the user's store in the folder: replays its log and compacts it when it holds more than
     * {@value #COMPACT_ABOVE} records and twice as many as live objects. Blocking disk work.
     *
     * @throws M800Exception ILLEGAL_STATE if the folder cannot be used
     */
    static ChatStore open(Path dir, String userId, ScheduledExecutorService scheduler, Executor disk,
            ListenerList<ChatListener> listeners) {
        ChatIndex index = new ChatIndex(userId);
        return new ChatStore(index, StoreJournal.open(dir, index, scheduler, disk, listeners));
    }

    /**
     * Runs several changes as one: their records leave in one write of the log at the end, and the
     * listeners hear of them after it. The monitor is held throughout, so no read sees a change before
     * it is written. For a run of incoming events: one write for all of them instead of one each.
     *
     * @throws M800Exception CLOSED if the store is closed; ILLEGAL_STATE if the write failed (the
     *         changes stay applied in memory and their events are still emitted)
     */
    synchronized void batch(Runnable changesOfOneRun) {
        journal.grouped(() -> {
            changesOfOneRun.run();
            return null;
        });
    }

    // ------------------------------------------------------------ outgoing

    /**
     * Stores a new outgoing message in the outbox.
     *
     * @throws M800Exception NOT_FOUND for an unknown conversation or one the user left
     */
    synchronized Message addOutgoing(String conversationId, String id, Map<String, Object> content) {
        return changes.addOutgoing(conversationId, id, content);
    }

    /** @return the outbox's message ids, in send order */
    synchronized List<String> outboxIds() {
        return index.outboxIds();
    }

    /** @return what to send for an outbox message, or null if it left the outbox */
    synchronized StoredMessage outgoing(String id) {
        return index.outgoing(id);
    }

    /** @return whether the message is still waiting in the outbox */
    synchronized boolean inOutbox(String id) {
        return index.inOutbox(id);
    }

    /** The server accepted an own message; @return its new view, or null if it was not waiting. */
    synchronized Message accept(String id, long seq, long ts) {
        return changes.accept(id, seq, ts);
    }

    /** The server refused an own message for good; @return its FAILED view, or null if it was not waiting. */
    synchronized Message refuse(String id, M800Exception why) {
        return changes.refuse(id, why);
    }

    // ------------------------------------------------------------ from the server

    /** Stores a message from the server unless this device has it (by sender and id). */
    synchronized Incoming incoming(ChatWire.WireMessage w) {
        return changes.incoming(w);
    }

    /** A member's delivery or read marks moved. */
    synchronized void receipt(ChatWire.Receipt r) {
        changes.receipt(r);
    }

    /** An edit, a deletion or a reaction of the message at the change's seq; @return its view, or empty. */
    synchronized Optional<Message> change(ChatWire.Change ch, MessageUpdate what) {
        return changes.change(ch, what);
    }

    /** Another member typing; dropped for the user's own devices. */
    synchronized void typing(ChatWire.Typing t) {
        changes.typing(t);
    }

    /**
     * A group changed ({@code group.updated}).
     *
     * @return false if the event holds only a change of a conversation this store does not have (the
     *         caller syncs to get it)
     */
    synchronized boolean groupUpdated(ChatWire.GroupUpdate g) {
        return changes.groupUpdated(g);
    }

    /** A conversation object in an answer; @return its view. */
    synchronized Conversation conversationAnswer(ChatWire.WireConversation w) {
        return changes.conversationAnswer(w);
    }

    /** The user left the group. */
    synchronized void left(String conversationId) {
        changes.left(conversationId);
    }

    /**
     * Moves the user's read marker to the newest message.
     *
     * @return the seq the marker is now at
     * @throws M800Exception NOT_FOUND for an unknown conversation
     */
    synchronized long markRead(String conversationId) {
        return changes.markRead(conversationId);
    }

    // ------------------------------------------------------------ sync

    /**
     * Applies a conversation of the server's list and says from where its history must be fetched.
     *
     * @param pages how many pages of {@code pageSize} a sync fetches at most
     * @return the seq after which to fetch, or -1 if the local copy is complete
     */
    synchronized long syncConversation(ChatWire.WireConversation w, int pages, int pageSize) {
        return changes.syncConversation(w, pages, pageSize);
    }

    /** A message of a resync after a gap: stored if new, else its missed edit, deletion and reactions applied. */
    synchronized Incoming refreshed(ChatWire.WireMessage w) {
        return changes.refreshed(w);
    }

    /** After a gap: the user is no longer a member of the stored groups the server did not list. */
    synchronized void notListed(Set<String> listed) {
        changes.notListed(listed);
    }

    /** Every message of the server's history up to {@code upTo} is now local. */
    synchronized void markSynced(String conversationId, long upTo) {
        changes.markSynced(conversationId, upTo);
    }

    // ------------------------------------------------------------ reads

    synchronized List<Conversation> conversations() {
        return index.conversations();
    }

    synchronized Optional<Conversation> conversation(String conversationId) {
        return index.conversation(conversationId);
    }

    /** @return the message with that id: the user's own if there is one, else another sender's */
    synchronized Optional<Message> message(String messageId) {
        return index.message(messageId);
    }

    /** @return the message of that sender with that id */
    synchronized Optional<Message> message(String senderId, String messageId) {
        return index.message(senderId, messageId);
    }

    synchronized int unreadCount(String conversationId) {
        return index.unreadCount(conversationId);
    }

    synchronized List<Message> outbox() {
        return index.outbox();
    }

    /** @return how many conversations and messages are stored */
    synchronized int size() {
        return index.size();
    }

    /**
     * A history page from the local store, if it has the whole page.
     *
     * @param local gets the page's messages found locally (also when incomplete)
     * @return the page, or empty when the server must be asked
     * @throws M800Exception NOT_FOUND for an unknown conversation
     */
    synchronized Optional<HistoryPage> localPage(String conversationId, long beforeSeq, int limit,
            List<Message> local) {
        return index.localPage(conversationId, beforeSeq, limit, local);
    }

    /** Stores a history page of the server and returns it, with the unsent local messages first when newest. */
    synchronized HistoryPage serverPage(String conversationId, long beforeSeq, int limit, List<Message> local,
            ChatWire.HistoryAnswer answer) {
        return changes.serverPage(conversationId, beforeSeq, limit, local, answer);
    }

    // ------------------------------------------------------------ lifecycle

    /** Forces and closes the file; later changes fail with CLOSED. Idempotent. */
    @Override
    public synchronized void close() {
        journal.close();
    }

    /** @return how many writes of the log this store made since it was opened (tests) */
    synchronized int logWrites() {
        return journal.writes();
    }

    /** @return how many times the log was forced to the disk since it was opened (tests) */
    synchronized int logForces() {
        return journal.forces();
    }

    synchronized boolean isClosed() {
        return journal.isClosed();
    }
}
