package org.m800.sdk.chat.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.m800.sdk.chat.Conversation;
import org.m800.sdk.chat.HistoryPage;
import org.m800.sdk.chat.Message;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * What a {@link ChatStore} holds in memory, and the reads of it: conversations by id, messages by
 * (sender, message id) as the server de-duplicates them, and the outbox; the API's views of them
 * ({@link ChatViews}). It knows nothing of the log nor of listeners: {@link StoreChanges} changes it,
 * {@link StoreJournal} replays the log into it.
 *
 * <p>Not thread-safe: used only under its {@link ChatStore}'s monitor.
 */
final class ChatIndex {

    final String userId;
    private final Map<String, StoredConversation> convs = new HashMap<>();
    /** By {@link #key(String, String)}. */
    private final Map<String, StoredMessage> byKey = new HashMap<>();
    /** Own messages not yet accepted, in send order, by id. */
    private final LinkedHashMap<String, StoredMessage> outbox = new LinkedHashMap<>();

    ChatIndex(String userId) {
        this.userId = userId;
    }

    static String key(String sender, String id) {
        return sender + '\n' + id;
    }

    // ------------------------------------------------------------ what changes use

    /** @return the conversation, created empty if unknown */
    StoredConversation conv(String id, String kind) {
        return convs.computeIfAbsent(id, k -> {
            StoredConversation c = new StoredConversation();
            c.id = id;
            c.kind = kind;
            return c;
        });
    }

    /** @return the conversation, or null if unknown */
    StoredConversation find(String conversationId) {
        return convs.get(conversationId);
    }

    /**
     * @return the conversation
     * @throws M800Exception NOT_FOUND for an unknown conversation
     */
    StoredConversation require(String conversationId) {
        StoredConversation c = convs.get(conversationId);
        if (c == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "unknown conversation '" + conversationId + "'");
        }
        return c;
    }

    /** @return the message of that sender with that id, or null */
    StoredMessage find(String senderId, String messageId) {
        return byKey.get(key(senderId, messageId));
    }

    boolean has(String conversationId) {
        return convs.containsKey(conversationId);
    }

    Collection<StoredConversation> all() {
        return convs.values();
    }

    /** Puts a message into the index, replacing an older snapshot of it. */
    void index(StoredMessage m) {
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

    /** Applies one record of the log (replay on open). */
    void replay(Map<String, Object> record) {
        if ("c".equals(record.get("t"))) {
            StoreRecords.readConversation(record, this::conv);
        } else if ("m".equals(record.get("t"))) {
            index(StoreRecords.readMessage(record));
        }
    }

    Message view(StoredConversation c, StoredMessage m) {
        return ChatViews.message(userId, c, m);
    }

    Conversation view(StoredConversation c) {
        return ChatViews.conversation(userId, c);
    }

    // ------------------------------------------------------------ reads

    List<Conversation> conversations() {
        List<StoredConversation> sorted = new ArrayList<>(convs.values());
        sorted.sort(Comparator.comparingLong(StoredConversation::activity).reversed().thenComparing(c -> c.id));
        List<Conversation> out = new ArrayList<>();
        for (StoredConversation c : sorted) {
            out.add(view(c));
        }
        return out;
    }

    Optional<Conversation> conversation(String conversationId) {
        StoredConversation c = convs.get(conversationId);
        return c == null ? Optional.empty() : Optional.of(view(c));
    }

    /** @return the message with that id: the user's own if there is one, else another sender's */
    Optional<Message> message(String messageId) {
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
    Optional<Message> message(String senderId, String messageId) {
        StoredMessage m = byKey.get(key(senderId, messageId));
        return m == null ? Optional.empty() : Optional.of(view(convs.get(m.conv), m));
    }

    int unreadCount(String conversationId) {
        StoredConversation c = convs.get(conversationId);
        return c == null ? 0 : ChatViews.unread(userId, c);
    }

    /** @return the outbox's messages, in send order */
    List<Message> outbox() {
        List<Message> out = new ArrayList<>();
        for (StoredMessage m : outbox.values()) {
            out.add(view(convs.get(m.conv), m));
        }
        return out;
    }

    /** @return the outbox's message ids, in send order */
    List<String> outboxIds() {
        return List.copyOf(outbox.keySet());
    }

    /** @return what to send for an outbox message, or null if it left the outbox */
    StoredMessage outgoing(String id) {
        StoredMessage m = outbox.get(id);
        return m == null ? null : m.copy();
    }

    boolean inOutbox(String id) {
        return outbox.containsKey(id);
    }

    /** @return how many conversations and messages are held */
    int size() {
        return convs.size() + byKey.size();
    }

    /**
     * A history page from memory, if it has the whole page.
     *
     * @param local gets the page's messages found locally (also when incomplete)
     * @return the page, or empty when the server must be asked
     * @throws M800Exception NOT_FOUND for an unknown conversation
     */
    Optional<HistoryPage> localPage(String conversationId, long beforeSeq, int limit, List<Message> local) {
        return ChatViews.localPage(userId, require(conversationId), beforeSeq, limit, local);
    }
}
