package org.m800.server.internal.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.m800.server.internal.db.DbSession;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/**
 * The rules of messages (docs/protocol.md section "Chat"): sending with a per-conversation sequence,
 * receipts, typing, edits, deletes, reactions and history.
 *
 * <p>Order and exactly-once: a message is inserted (the unique key (sender, messageId) de-duplicates)
 * and appended to every member's log in one transaction, under the conversation's monitor, before the
 * next message of that conversation gets its seq, so every member's log holds the conversation's
 * messages in seq order. A message id seen again is answered with the first answer; when it was not
 * answered in this server run, its events are appended again (a database written before messages and
 * events were one transaction may lack some), and clients drop the repeat by message id.
 * Thread-safe.
 */
final class MessageService {
    private static final int ACCEPTED_MEMORY = 200_000;

    private final ChatTables tables;
    private final Conversations conversations;
    private final ChatFanOut fanOut;
    private final Clock clock;
    private volatile FileReferences fileReferences = FileReferences.NONE;
    /** Answers of messages accepted (and fanned out completely) in this server run, by sender + id. */
    private final Map<String, ObjectNode> accepted = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > ACCEPTED_MEMORY;
        }
    };

    MessageService(ChatTables tables, Conversations conversations, ChatFanOut fanOut, Clock clock) {
        this.tables = tables;
        this.conversations = conversations;
        this.fanOut = fanOut;
        this.clock = clock;
    }

    void fileReferences(FileReferences references) {
        this.fileReferences = references;
    }

    ObjectNode send(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = ChatWire.conversationId(data);
        String messageId = ChatWire.messageId(data);
        ChatWire.Content content = ChatWire.sendContent(data);
        String key = userId + "\n" + messageId;
        synchronized (accepted) {
            ObjectNode known = accepted.get(key);
            if (known != null) {
                if (!known.path("conversationId").asText().equals(convId)) {
                    throw WireException.of(WireCode.CONFLICT, "MESSAGE_ID_TAKEN", "message id " + messageId
                            + " was already used in another conversation");
                }
                return known;
            }
        }
        Conv c = conversations.existing(convId);
        synchronized (c) {
            c.requireMember(userId);
            long seq = c.lastSeq + 1;
            long now = clock.millis();
            ObjectNode message = ChatWire.messageJson(c.id, c.kind, seq, messageId, userId, now, content.content(), 0,
                    false, null);
            try {
                // the message and its events are one transaction: a log never holds an event of a
                // message that is not stored, and a stored message always has its events
                fanOut.fanOut(c, userId, "chat.message", message, true, s -> {
                    ChatTables.insertMessage(s, c.id, seq, messageId, userId, now, content.json());
                    referFiles(s, c.id, seq, userId, content.content());
                    return null;
                });
            } catch (ChatTables.MessageIdTaken e) {
                return resend(c, userId, messageId);
            }
            c.lastSeq = seq;
            ObjectNode answer = Json.object().put("conversationId", c.id).put("messageId", messageId).put("seq", seq)
                    .put("ts", now);
            synchronized (accepted) {
                accepted.put(key, answer);
            }
            return answer;
        }
    }

    private void referFiles(DbSession s, String convId, long seq, String senderId, ObjectNode content)
            throws SQLException {
        if ("media".equals(content.path("kind").asText())) {
            List<String> ids = new ArrayList<>(2);
            ids.add(content.path("fileId").asText());
            if (content.hasNonNull("thumbnailFileId")) {
                ids.add(content.path("thumbnailFileId").asText());
            }
            fileReferences.referenced(s, convId, seq, senderId, ids);
        }
    }

    /** A message id seen before (not in this run's memory): answer as the first time, append its events again. */
    private ObjectNode resend(Conv c, String userId, String messageId) throws WireException, SQLException {
        ObjectNode stored = tables.sentMessage(userId, messageId, c.kind);
        if (stored == null) {
            throw WireException.of(WireCode.CONFLICT, "MESSAGE_ID_TAKEN", "message id " + messageId
                    + " is already used in conversation " + c.id + " by another sender");
        }
        if (!stored.path("conversationId").asText().equals(c.id)) {
            throw WireException.of(WireCode.CONFLICT, "MESSAGE_ID_TAKEN", "message id " + messageId
                    + " was already used in another conversation");
        }
        fanOut.fanOut(c, userId, "chat.message", stored, true);
        ObjectNode answer = Json.object().put("conversationId", c.id).put("messageId", messageId)
                .put("seq", stored.path("seq").asLong()).put("ts", stored.path("ts").asLong());
        synchronized (accepted) {
            accepted.put(userId + "\n" + messageId, answer);
        }
        return answer;
    }

    ObjectNode edit(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = ChatWire.conversationId(data);
        String messageId = ChatWire.messageId(data);
        String text = ChatWire.text(data, "text");
        Conv c = conversations.existing(convId);
        synchronized (c) {
            c.requireMember(userId);
            ObjectNode m = ownMessage(c, userId, messageId);
            if (!userId.equals(m.path("senderId").asText())) {
                throw WireException.unauthorized("NOT_ALLOWED", "only the sender can edit message " + messageId);
            }
            if (m.path("deleted").asBoolean(false)) {
                throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_MESSAGE", "message " + messageId + " was deleted");
            }
            if (!"text".equals(m.path("content").path("kind").asText())) {
                throw WireException.invalid("messageId", "BAD_FIELD", "only text messages can be edited");
            }
            long now = clock.millis();
            ObjectNode content = Json.object().put("kind", "text").put("text", text);
            tables.editMessage(c.id, m.path("seq").asLong(), Json.write(content), now);
            ObjectNode ev = Json.object().put("conversationId", c.id).put("messageId", messageId)
                    .put("seq", m.path("seq").asLong()).put("senderId", userId).put("editedAt", now);
            ev.set("content", content);
            fanOut.fanOut(c, userId, "chat.edited", ev, true);
            return ev;
        }
    }

    ObjectNode delete(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = ChatWire.conversationId(data);
        String messageId = ChatWire.messageId(data);
        Conv c = conversations.existing(convId);
        synchronized (c) {
            c.requireMember(userId);
            ObjectNode m = ownMessage(c, userId, messageId);
            if (!userId.equals(m.path("senderId").asText())) {
                throw WireException.unauthorized("NOT_ALLOWED", "only the sender can delete message " + messageId
                        + " for everyone");
            }
            ObjectNode ev = Json.object().put("conversationId", c.id).put("messageId", messageId)
                    .put("seq", m.path("seq").asLong()).put("senderId", userId);
            if (!m.path("deleted").asBoolean(false)) {
                tables.deleteMessage(c.id, m.path("seq").asLong());
                fanOut.fanOut(c, userId, "chat.deleted", ev, true);
            }
            return ev.put("deleted", true);
        }
    }

    ObjectNode react(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = ChatWire.conversationId(data);
        String messageId = ChatWire.messageId(data);
        String emoji = Fields.requiredText(data, "emoji", 1, 32, null);
        if (emoji.isBlank()) {
            throw WireException.invalid("emoji", "BAD_FIELD", "emoji must not be blank");
        }
        JsonNode addNode = data.get("add");
        if (addNode != null && !addNode.isNull() && !addNode.isBoolean()) {
            throw WireException.invalid("add", "BAD_FIELD", "add must be a boolean");
        }
        boolean add = addNode == null || addNode.isNull() || addNode.asBoolean();
        String senderId = Fields.optionalText(data, "senderId", 1, 64, null);
        Conv c = conversations.existing(convId);
        synchronized (c) {
            Member me = c.requireMember(userId);
            ObjectNode m = messageOf(c, senderId, messageId);
            if (m.path("seq").asLong() <= me.joinedSeq) {
                // sent before this member joined: not in its history, so not its to react to
                throw noSuchMessage(c, messageId);
            }
            if (m.path("deleted").asBoolean(false)) {
                throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_MESSAGE", "message " + messageId + " was deleted");
            }
            TreeMap<String, TreeSet<String>> reactions = new TreeMap<>();
            m.path("reactions").properties().forEach(e -> {
                TreeSet<String> users = new TreeSet<>();
                e.getValue().forEach(u -> users.add(u.asText()));
                reactions.put(e.getKey(), users);
            });
            boolean changed;
            if (add) {
                if (!reactions.containsKey(emoji) && reactions.size() >= 64) {
                    throw WireException.invalid("emoji", "TOO_LONG", "a message has at most 64 different reactions");
                }
                changed = reactions.computeIfAbsent(emoji, k -> new TreeSet<>()).add(userId);
            } else {
                TreeSet<String> users = reactions.get(emoji);
                changed = users != null && users.remove(userId);
                if (users != null && users.isEmpty()) {
                    reactions.remove(emoji);
                }
            }
            ObjectNode all = Json.object();
            reactions.forEach((k, v) -> {
                ArrayNode a = all.putArray(k);
                v.forEach(a::add);
            });
            ObjectNode ev = Json.object().put("conversationId", c.id).put("messageId", messageId)
                    .put("seq", m.path("seq").asLong()).put("userId", userId).put("emoji", emoji).put("add", add)
                    .put("messageSenderId", m.path("senderId").asText());
            ev.set("reactions", all);
            if (changed) {
                tables.setReactions(c.id, m.path("seq").asLong(), Json.write(all));
                fanOut.fanOut(c, userId, "chat.reaction", ev, true);
            }
            return ev;
        }
    }

    ObjectNode receipt(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = ChatWire.conversationId(data);
        String kind = Fields.requiredText(data, "kind", 1, 16, null);
        if (!"delivered".equals(kind) && !"read".equals(kind)) {
            throw WireException.invalid("kind", "BAD_FIELD", "kind must be delivered or read");
        }
        Long upTo = Fields.optionalNonNegativeLong(data, "upTo");
        if (upTo == null) {
            throw WireException.invalid("upTo", "MISSING_FIELD", "upTo is required");
        }
        Conv c = conversations.existing(convId);
        synchronized (c) {
            Member me = c.requireMember(userId);
            long mark = Math.min(upTo, c.lastSeq);
            boolean read = "read".equals(kind);
            long delivered = Math.max(me.deliveredUpTo, mark);
            long readUpTo = read ? Math.max(me.readUpTo, mark) : me.readUpTo;
            if (delivered != me.deliveredUpTo || readUpTo != me.readUpTo) {
                Map<String, List<Long>> withheld = tables.withheldFrom(c.id, userId, me.deliveredUpTo, delivered);
                tables.setMarks(c.id, userId, delivered, readUpTo);
                me.deliveredUpTo = delivered;
                me.readUpTo = readUpTo;
                ObjectNode ev = Json.object().put("conversationId", c.id).put("userId", userId).put("kind", kind)
                        .put("deliveredUpTo", delivered).put("readUpTo", readUpTo);
                fanOut.receipt(c, userId, ev, withheld);
            }
            return Json.object().put("conversationId", c.id).put("deliveredUpTo", me.deliveredUpTo)
                    .put("readUpTo", me.readUpTo);
        }
    }

    ObjectNode typing(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = ChatWire.conversationId(data);
        JsonNode t = data.get("typing");
        if (t == null || !t.isBoolean()) {
            throw WireException.invalid("typing", "MISSING_FIELD", "typing is required: true or false");
        }
        Conv c = conversations.existing(convId);
        synchronized (c) {
            c.requireMember(userId);
            ObjectNode ev = Json.object().put("conversationId", c.id).put("userId", userId)
                    .put("typing", t.asBoolean());
            fanOut.fanOut(c, userId, "chat.typing", ev, false);
        }
        return Json.object();
    }

    ObjectNode history(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = ChatWire.conversationId(data);
        Long before = Fields.optionalNonNegativeLong(data, "before");
        Long after = Fields.optionalNonNegativeLong(data, "after");
        Long limitField = Fields.optionalNonNegativeLong(data, "limit");
        int limit = limitField == null ? 50 : (int) Math.min(limitField, Integer.MAX_VALUE);
        if (limit < 1 || limit > ChatWire.MAX_HISTORY_PAGE) {
            throw WireException.invalid("limit", "BAD_FIELD", "limit must be 1 to " + ChatWire.MAX_HISTORY_PAGE);
        }
        if (before != null && after != null) {
            throw WireException.invalid("after", "BAD_FIELD", "give before or after, not both");
        }
        Conv c = conversations.existing(convId);
        long floor;
        synchronized (c) {
            floor = c.requireMember(userId).joinedSeq;
        }
        boolean ascending = after != null;
        List<ObjectNode> page = tables.history(c, userId, Math.max(floor, ascending ? after : 0),
                before == null ? Long.MAX_VALUE : before, ascending, limit);
        ObjectNode answer = Json.object();
        ArrayNode out = answer.putArray("messages");
        page.stream().limit(limit).forEach(out::add);
        answer.put("hasMore", page.size() > limit);
        return answer;
    }

    /**
     * Message ids are unique per sender, so a conversation may hold the same id from two senders: the
     * key is (sender, messageId). Caller holds the conversation's monitor.
     *
     * @return the user's own message with that id, else another sender's (the caller refuses it), else
     *         NOT_FOUND
     */
    private ObjectNode ownMessage(Conv c, String userId, String messageId) throws WireException, SQLException {
        List<ObjectNode> found = tables.messages(c, messageId);
        for (ObjectNode m : found) {
            if (userId.equals(m.path("senderId").asText())) {
                return m;
            }
        }
        if (found.isEmpty()) {
            throw noSuchMessage(c, messageId);
        }
        return found.get(0);
    }

    /**
     * @param senderId the sender, or null: then the id must name one message of the conversation
     * @return the message (sender, messageId) of the conversation. Caller holds the conversation's monitor.
     */
    private ObjectNode messageOf(Conv c, String senderId, String messageId) throws WireException, SQLException {
        List<ObjectNode> found = tables.messages(c, messageId);
        if (senderId != null) {
            found.removeIf(m -> !senderId.equals(m.path("senderId").asText()));
        }
        if (found.isEmpty()) {
            throw noSuchMessage(c, messageId);
        }
        if (found.size() > 1) {
            throw WireException.invalid("senderId", "AMBIGUOUS_MESSAGE_ID", "two senders used message id " + messageId
                    + " in conversation " + c.id + ": give senderId");
        }
        return found.get(0);
    }

    private static WireException noSuchMessage(Conv c, String messageId) {
        return WireException.of(WireCode.NOT_FOUND, "NO_SUCH_MESSAGE", "no message " + messageId
                + " in conversation " + c.id);
    }
}
