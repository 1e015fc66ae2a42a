package org.m800.server.internal.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.db.DbSession;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/**
 * The messaging service (docs/protocol.md section "Chat"): conversations with members and roles,
 * messages with a per-conversation sequence, receipts, typing, edits, deletes and reactions, each
 * pushed as events into every member's event log.
 *
 * <p>Order and exactly-once: a conversation's state is cached in memory and changed under the
 * conversation's monitor; a message is inserted (the unique key (sender, messageId) de-duplicates) and
 * appended to every member's log in one transaction before the next message of that conversation gets
 * its seq, so every member's log holds the conversation's messages in seq order. A message id seen
 * again is answered with the first answer; when it was not answered in this server run, its events are
 * appended again (a database written before messages and events were one transaction may lack some),
 * and clients drop the repeat by message id.
 * Thread-safe.
 */
final class ChatService {

    /** The largest {@code text} of a text message or an edit, in characters (code points). */
    static final int MAX_TEXT_CHARS = 4_096;
    /** The largest {@code content} object of a message, as UTF-8 JSON bytes. */
    static final int MAX_CONTENT_BYTES = 16_384;
    /** The largest group, owner included. */
    static final int MAX_GROUP_MEMBERS = 256;
    static final int MAX_TITLE_CHARS = 100;
    static final int MAX_HISTORY_PAGE = 200;
    static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,80}");
    static final Pattern CUSTOM_TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int ACCEPTED_MEMORY = 200_000;

    static final String OWNER = "owner";
    static final String ADMIN = "admin";
    static final String MEMBER = "member";

    /** One member of a conversation, cached. */
    static final class Member {
        String role;
        final long joinedSeq;
        final long joinedAt;
        long deliveredUpTo;
        long readUpTo;

        Member(String role, long joinedSeq, long joinedAt, long deliveredUpTo, long readUpTo) {
            this.role = role;
            this.joinedSeq = joinedSeq;
            this.joinedAt = joinedAt;
            this.deliveredUpTo = deliveredUpTo;
            this.readUpTo = readUpTo;
        }
    }

    /** A conversation's cached state; guarded by its own monitor. */
    static final class Conv {
        final String id;
        final String kind;
        String title;
        final String createdBy;
        final long createdAt;
        final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
        long lastSeq;

        Conv(String id, String kind, String title, String createdBy, long createdAt) {
            this.id = id;
            this.kind = kind;
            this.title = title;
            this.createdBy = createdBy;
            this.createdAt = createdAt;
        }

        boolean direct() {
            return "direct".equals(kind);
        }
    }

    private final Database database;
    private final EventLog events;
    private final Clock clock;
    private volatile BlockPolicy blocks;
    private volatile FileReferences fileReferences = FileReferences.NONE;
    private final ConcurrentHashMap<String, Conv> conversations = new ConcurrentHashMap<>();
    /** Answers of messages accepted (and fanned out completely) in this server run, by sender + id. */
    private final Map<String, ObjectNode> accepted = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > ACCEPTED_MEMORY;
        }
    };

    /** @param groupsPerHour groups one user may create per hour (issue 17 item 9) */
    ChatService(Database database, EventLog events, Clock clock, BlockPolicy blocks, int groupsPerHour) {
        this.database = database;
        this.events = events;
        this.clock = clock;
        this.blocks = blocks;
        this.groupRate = new PerUserRate(clock, groupsPerHour, java.time.Duration.ofHours(1), "GROUP_RATE",
                "groups created");
    }

    private final PerUserRate groupRate;

    void blockPolicy(BlockPolicy policy) {
        this.blocks = policy == null ? BlockPolicy.NONE : policy;
    }

    void fileReferences(FileReferences references) {
        this.fileReferences = references;
    }

    // ------------------------------------------------------------------ conversations

    ObjectNode direct(String userId, ObjectNode data) throws WireException, SQLException {
        String peer = Fields.requiredText(data, "userId", 1, 64, null);
        if (peer.equals(userId)) {
            throw WireException.invalid("userId", "BAD_FIELD", "a direct conversation needs another user than yourself");
        }
        requireUser(userId, peer, "userId");
        String a = userId.compareTo(peer) < 0 ? userId : peer;
        String b = a.equals(userId) ? peer : userId;
        String id = "d-" + sha256(a + "\n" + b).substring(0, 40);
        Conv c = load(id);
        if (c == null) {
            long now = clock.millis();
            try {
                database.inTransaction(tx -> {
                    insertConversation(tx, id, "direct", "", userId, now);
                    insertMember(tx, id, a, MEMBER, 0, now);
                    insertMember(tx, id, b, MEMBER, 0, now);
                    return null;
                });
            } catch (SQLException e) {
                if (!Database.isDuplicateKey(e)) {
                    throw e;
                }
            }
            c = load(id);
        }
        synchronized (c) {
            return conversationJson(c, userId);
        }
    }

    ObjectNode createGroup(String userId, ObjectNode data) throws WireException, SQLException {
        String title = Fields.requiredText(data, "title", 1, MAX_TITLE_CHARS, null);
        if (title.isBlank()) {
            throw WireException.invalid("title", "BAD_FIELD", "title must not be blank");
        }
        Set<String> invited = userIds(data, "members", 0);
        invited.remove(userId);
        if (invited.size() + 1 > MAX_GROUP_MEMBERS) {
            throw WireException.invalid("members", "TOO_LONG", "a group has at most " + MAX_GROUP_MEMBERS
                    + " members, the owner included");
        }
        for (String u : invited) {
            requireUser(userId, u, "members");
        }
        String id = "g-" + UUID.randomUUID();
        long now = clock.millis();
        groupRate.take(userId);
        try {
            database.inTransaction(tx -> {
                insertConversation(tx, id, "group", title, userId, now);
                insertMember(tx, id, userId, OWNER, 0, now);
                for (String u : invited) {
                    insertMember(tx, id, u, MEMBER, 0, now);
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            groupRate.giveBack(userId);
            throw e;
        }
        Conv c = load(id);
        synchronized (c) {
            groupEvent(c, userId, "created", List.copyOf(invited), c.members.keySet());
            return conversationJson(c, userId);
        }
    }

    ObjectNode rename(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = group(userId, data);
        String title = Fields.requiredText(data, "title", 1, MAX_TITLE_CHARS, null);
        if (title.isBlank()) {
            throw WireException.invalid("title", "BAD_FIELD", "title must not be blank");
        }
        synchronized (c) {
            requireRole(c, userId, "rename the group", OWNER, ADMIN);
            if (!title.equals(c.title)) {
                update("UPDATE chat_conversations SET title = ? WHERE id = ?", title, c.id);
                c.title = title;
                groupEvent(c, userId, "renamed", List.of(), c.members.keySet());
            }
            return conversationJson(c, userId);
        }
    }

    ObjectNode invite(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = group(userId, data);
        Set<String> invited = userIds(data, "userIds", 1);
        for (String u : invited) {
            requireUser(userId, u, "userIds");
        }
        synchronized (c) {
            requireRole(c, userId, "invite", OWNER, ADMIN);
            invited.removeAll(c.members.keySet());
            if (c.members.size() + invited.size() > MAX_GROUP_MEMBERS) {
                throw WireException.invalid("userIds", "TOO_LONG", "a group has at most " + MAX_GROUP_MEMBERS
                        + " members; it has " + c.members.size());
            }
            if (!invited.isEmpty()) {
                long now = clock.millis();
                long joined = c.lastSeq;
                database.inTransaction(tx -> {
                    for (String u : invited) {
                        insertMember(tx, c.id, u, MEMBER, joined, now);
                    }
                    return null;
                });
                for (String u : invited) {
                    c.members.put(u, new Member(MEMBER, joined, now, joined, joined));
                }
                groupEvent(c, userId, "invited", List.copyOf(invited), c.members.keySet());
            }
            return conversationJson(c, userId);
        }
    }

    ObjectNode remove(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = group(userId, data);
        String target = Fields.requiredText(data, "userId", 1, 64, null);
        synchronized (c) {
            Member actor = requireRole(c, userId, "remove members", OWNER, ADMIN);
            Member victim = c.members.get(target);
            if (victim == null) {
                throw WireException.of(WireCode.NOT_FOUND, "NOT_A_MEMBER", "user " + target
                        + " is not a member of conversation " + c.id);
            }
            if (target.equals(userId)) {
                throw WireException.invalid("userId", "BAD_FIELD", "use group.leave to leave a group");
            }
            if (OWNER.equals(victim.role) || (ADMIN.equals(actor.role) && ADMIN.equals(victim.role))) {
                throw WireException.unauthorized("NOT_ALLOWED", "a " + actor.role + " cannot remove a " + victim.role);
            }
            Set<String> recipients = new LinkedHashSet<>(c.members.keySet());
            update("DELETE FROM chat_members WHERE conversation_id = ? AND user_id = ?", c.id, target);
            c.members.remove(target);
            groupEvent(c, userId, "removed", List.of(target), recipients);
            return conversationJson(c, userId);
        }
    }

    ObjectNode leave(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = group(userId, data);
        synchronized (c) {
            Member me = requireMember(c, userId);
            Set<String> recipients = new LinkedHashSet<>(c.members.keySet());
            String newOwner = null;
            if (OWNER.equals(me.role)) {
                for (Map.Entry<String, Member> e : c.members.entrySet()) {
                    if (!e.getKey().equals(userId) && ADMIN.equals(e.getValue().role)) {
                        newOwner = e.getKey();
                        break;
                    }
                }
                if (newOwner == null) {
                    for (String u : c.members.keySet()) {
                        if (!u.equals(userId)) {
                            newOwner = u;
                            break;
                        }
                    }
                }
            }
            String heir = newOwner;
            database.inTransaction(tx -> {
                exec(tx, "DELETE FROM chat_members WHERE conversation_id = ? AND user_id = ?", c.id, userId);
                if (heir != null) {
                    exec(tx, "UPDATE chat_members SET role = ? WHERE conversation_id = ? AND user_id = ?", OWNER,
                            c.id, heir);
                }
                return null;
            });
            c.members.remove(userId);
            if (heir != null) {
                c.members.get(heir).role = OWNER;
            }
            groupEvent(c, userId, "left", heir == null ? List.of(userId) : List.of(userId, heir), recipients);
            return Json.object().put("conversationId", c.id).put("left", true);
        }
    }

    ObjectNode role(String userId, ObjectNode data) throws WireException, SQLException {
        Conv c = group(userId, data);
        String target = Fields.requiredText(data, "userId", 1, 64, null);
        String role = Fields.requiredText(data, "role", 1, 8, null);
        if (!ADMIN.equals(role) && !MEMBER.equals(role)) {
            throw WireException.invalid("role", "BAD_FIELD", "role must be admin or member (ownership passes on leave)");
        }
        synchronized (c) {
            requireRole(c, userId, "change roles", OWNER);
            Member m = c.members.get(target);
            if (m == null) {
                throw WireException.of(WireCode.NOT_FOUND, "NOT_A_MEMBER", "user " + target
                        + " is not a member of conversation " + c.id);
            }
            if (OWNER.equals(m.role)) {
                throw WireException.invalid("userId", "BAD_FIELD", "the owner's role cannot be changed");
            }
            if (!role.equals(m.role)) {
                update("UPDATE chat_members SET role = ? WHERE conversation_id = ? AND user_id = ?", role, c.id, target);
                m.role = role;
                groupEvent(c, userId, "role", List.of(target), c.members.keySet());
            }
            return conversationJson(c, userId);
        }
    }

    ObjectNode list(String userId) throws SQLException, WireException {
        List<String> ids = new ArrayList<>();
        try (Connection tx = database.connection();
                PreparedStatement p = tx.prepareStatement("SELECT conversation_id FROM chat_members WHERE user_id = ?")) {
            p.setString(1, userId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        ObjectNode answer = Json.object();
        ArrayNode out = answer.putArray("conversations");
        for (String id : ids) {
            Conv c = load(id);
            if (c == null) {
                continue;
            }
            ObjectNode json;
            long from;
            synchronized (c) {
                Member me = c.members.get(userId);
                if (me == null) {
                    continue;
                }
                json = conversationJson(c, userId);
                from = Math.max(me.readUpTo, me.joinedSeq);
            }
            json.put("unread", unread(c.id, userId, from));
            out.add(json);
        }
        return answer;
    }

    // ------------------------------------------------------------------ messages

    ObjectNode send(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
        String messageId = Fields.requiredText(data, "messageId", 1, 64, Limits.REQUEST_ID);
        ObjectNode content = content(Fields.requiredObject(data, "content"));
        String contentJson = Json.write(content);
        if (contentJson.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_BYTES) {
            throw WireException.invalid("content", "TOO_LARGE", "content must be at most " + MAX_CONTENT_BYTES
                    + " bytes of JSON");
        }
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
        Conv c = member(userId, convId);
        synchronized (c) {
            requireMember(c, userId);
            long seq = c.lastSeq + 1;
            long now = clock.millis();
            ObjectNode message = messageJson(c, seq, messageId, userId, now, content, 0, false, null);
            try {
                // the message and its events are one transaction: a log never holds an event of a
                // message that is not stored, and a stored message always has its events
                fanOut(c, userId, "chat.message", message, true, s -> {
                    insertMessage(s, c.id, seq, messageId, userId, now, contentJson);
                    referFiles(s, c.id, seq, userId, content);
                    return null;
                });
            } catch (MessageIdTaken e) {
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

    /** The sender used this message id before: the transaction is rolled back and the first answer given. */
    private static final class MessageIdTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MessageIdTaken(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static void insertMessage(DbSession s, String convId, long seq, String messageId, String senderId,
            long now, String contentJson) throws SQLException {
        PreparedStatement p = s.statement("INSERT INTO chat_messages (conversation_id, seq, message_id, sender_id, "
                + "created_at, content_json, edited_at, deleted, reactions_json) "
                + "VALUES (?, ?, ?, ?, ?, ?, 0, FALSE, '{}')");
        p.setString(1, convId);
        p.setLong(2, seq);
        p.setString(3, messageId);
        p.setString(4, senderId);
        p.setLong(5, now);
        p.setString(6, contentJson);
        try {
            p.executeUpdate();
        } catch (SQLException e) {
            if (Database.isDuplicateKey(e)) {
                throw new MessageIdTaken(e);
            }
            throw e;
        }
    }

    /** A message id seen before (not in this run's memory): answer as the first time, append its events again. */
    private ObjectNode resend(Conv c, String userId, String messageId) throws WireException, SQLException {
        ObjectNode stored;
        try (Connection tx = database.connection();
                PreparedStatement p = tx.prepareStatement(SELECT_MESSAGE + "WHERE sender_id = ? AND message_id = ?")) {
            p.setString(1, userId);
            p.setString(2, messageId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw WireException.of(WireCode.CONFLICT, "MESSAGE_ID_TAKEN", "message id " + messageId
                            + " is already used in conversation " + c.id + " by another sender");
                }
                stored = messageRow(r);
            }
        }
        if (!stored.path("conversationId").asText().equals(c.id)) {
            throw WireException.of(WireCode.CONFLICT, "MESSAGE_ID_TAKEN", "message id " + messageId
                    + " was already used in another conversation");
        }
        fanOut(c, userId, "chat.message", stored, true);
        ObjectNode answer = Json.object().put("conversationId", c.id).put("messageId", messageId)
                .put("seq", stored.path("seq").asLong()).put("ts", stored.path("ts").asLong());
        synchronized (accepted) {
            accepted.put(userId + "\n" + messageId, answer);
        }
        return answer;
    }

    ObjectNode edit(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
        String messageId = Fields.requiredText(data, "messageId", 1, 64, Limits.REQUEST_ID);
        String text = text(data, "text");
        Conv c = member(userId, convId);
        synchronized (c) {
            requireMember(c, userId);
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
            update("UPDATE chat_messages SET content_json = ?, edited_at = ? WHERE conversation_id = ? AND seq = ?",
                    Json.write(content), now, c.id, m.path("seq").asLong());
            ObjectNode ev = Json.object().put("conversationId", c.id).put("messageId", messageId)
                    .put("seq", m.path("seq").asLong()).put("senderId", userId).put("editedAt", now);
            ev.set("content", content);
            fanOut(c, userId, "chat.edited", ev, true);
            return ev;
        }
    }

    ObjectNode delete(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
        String messageId = Fields.requiredText(data, "messageId", 1, 64, Limits.REQUEST_ID);
        Conv c = member(userId, convId);
        synchronized (c) {
            requireMember(c, userId);
            ObjectNode m = ownMessage(c, userId, messageId);
            if (!userId.equals(m.path("senderId").asText())) {
                throw WireException.unauthorized("NOT_ALLOWED", "only the sender can delete message " + messageId
                        + " for everyone");
            }
            ObjectNode ev = Json.object().put("conversationId", c.id).put("messageId", messageId)
                    .put("seq", m.path("seq").asLong()).put("senderId", userId);
            if (!m.path("deleted").asBoolean(false)) {
                update("UPDATE chat_messages SET deleted = TRUE, content_json = ?, reactions_json = '{}' "
                        + "WHERE conversation_id = ? AND seq = ?", "{\"kind\":\"deleted\"}", c.id,
                        m.path("seq").asLong());
                fanOut(c, userId, "chat.deleted", ev, true);
            }
            return ev.put("deleted", true);
        }
    }

    ObjectNode react(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
        String messageId = Fields.requiredText(data, "messageId", 1, 64, Limits.REQUEST_ID);
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
        Conv c = member(userId, convId);
        synchronized (c) {
            Member me = requireMember(c, userId);
            ObjectNode m = messageOf(c, senderId, messageId);
            if (m.path("seq").asLong() <= me.joinedSeq) {
                // sent before this member joined: not in its history, so not its to react to
                throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_MESSAGE", "no message " + messageId
                        + " in conversation " + c.id);
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
                update("UPDATE chat_messages SET reactions_json = ? WHERE conversation_id = ? AND seq = ?",
                        Json.write(all), c.id, m.path("seq").asLong());
                fanOut(c, userId, "chat.reaction", ev, true);
            }
            return ev;
        }
    }

    ObjectNode receipt(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
        String kind = Fields.requiredText(data, "kind", 1, 16, null);
        if (!"delivered".equals(kind) && !"read".equals(kind)) {
            throw WireException.invalid("kind", "BAD_FIELD", "kind must be delivered or read");
        }
        Long upTo = Fields.optionalNonNegativeLong(data, "upTo");
        if (upTo == null) {
            throw WireException.invalid("upTo", "MISSING_FIELD", "upTo is required");
        }
        Conv c = member(userId, convId);
        synchronized (c) {
            Member me = requireMember(c, userId);
            long mark = Math.min(upTo, c.lastSeq);
            boolean read = "read".equals(kind);
            long delivered = Math.max(me.deliveredUpTo, mark);
            long readUpTo = read ? Math.max(me.readUpTo, mark) : me.readUpTo;
            if (delivered != me.deliveredUpTo || readUpTo != me.readUpTo) {
                Map<String, List<Long>> withheld = withheldFrom(c.id, userId, me.deliveredUpTo, delivered);
                update("UPDATE chat_members SET delivered_upto = ?, read_upto = ? WHERE conversation_id = ? "
                        + "AND user_id = ?", delivered, readUpTo, c.id, userId);
                me.deliveredUpTo = delivered;
                me.readUpTo = readUpTo;
                ObjectNode ev = Json.object().put("conversationId", c.id).put("userId", userId).put("kind", kind)
                        .put("deliveredUpTo", delivered).put("readUpTo", readUpTo);
                receiptFanOut(c, userId, ev, withheld);
            }
            return Json.object().put("conversationId", c.id).put("deliveredUpTo", me.deliveredUpTo)
                    .put("readUpTo", me.readUpTo);
        }
    }

    /**
     * @return the senders of the messages in (after, upTo] that were withheld from {@code userId} (who
     *         blocked them when they were sent), with those messages' seqs in ascending order
     */
    private Map<String, List<Long>> withheldFrom(String convId, String userId, long after, long upTo)
            throws SQLException {
        Map<String, List<Long>> bySender = new LinkedHashMap<>();
        if (upTo <= after) {
            return bySender;
        }
        // asked at every receipt that moves a mark, so on a kept statement
        database.inSession(s -> {
            PreparedStatement p = s.statement("SELECT h.seq, m.sender_id FROM chat_hidden h "
                    + "JOIN chat_messages m ON m.conversation_id = h.conversation_id AND m.seq = h.seq "
                    + "WHERE h.conversation_id = ? AND h.user_id = ? AND h.seq > ? AND h.seq <= ? ORDER BY h.seq");
            p.setString(1, convId);
            p.setString(2, userId);
            p.setLong(3, after);
            p.setLong(4, upTo);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    bySender.computeIfAbsent(r.getString(2), k -> new ArrayList<>()).add(r.getLong(1));
                }
            }
            return null;
        });
        return bySender;
    }

    /**
     * A receipt goes to every member; a sender of messages it covers but that were withheld from the
     * receipt's user gets their seqs as {@code withheld}, so that those stay undelivered for the sender.
     * Caller holds the conversation's monitor.
     */
    private void receiptFanOut(Conv c, String userId, ObjectNode ev, Map<String, List<Long>> withheld)
            throws SQLException {
        if (withheld.isEmpty()) {
            fanOut(c, userId, "chat.receipt", ev, true);
            return;
        }
        List<String> plain = new ArrayList<>();
        for (String member : recipients(c, userId, true, null)) {
            List<Long> seqs = withheld.get(member);
            if (seqs == null) {
                plain.add(member);
            } else {
                ObjectNode own = ev.deepCopy();
                seqs.forEach(own.putArray("withheld")::add);
                events.append(member, "chat.receipt", Json.write(own));
            }
        }
        events.appendAll(plain, "chat.receipt", Json.write(ev), null);
    }

    ObjectNode typing(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
        JsonNode t = data.get("typing");
        if (t == null || !t.isBoolean()) {
            throw WireException.invalid("typing", "MISSING_FIELD", "typing is required: true or false");
        }
        Conv c = member(userId, convId);
        synchronized (c) {
            requireMember(c, userId);
            ObjectNode ev = Json.object().put("conversationId", c.id).put("userId", userId)
                    .put("typing", t.asBoolean());
            fanOut(c, userId, "chat.typing", ev, false);
        }
        return Json.object();
    }

    ObjectNode history(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
        Long before = Fields.optionalNonNegativeLong(data, "before");
        Long after = Fields.optionalNonNegativeLong(data, "after");
        Long limitField = Fields.optionalNonNegativeLong(data, "limit");
        int limit = limitField == null ? 50 : (int) Math.min(limitField, Integer.MAX_VALUE);
        if (limit < 1 || limit > MAX_HISTORY_PAGE) {
            throw WireException.invalid("limit", "BAD_FIELD", "limit must be 1 to " + MAX_HISTORY_PAGE);
        }
        if (before != null && after != null) {
            throw WireException.invalid("after", "BAD_FIELD", "give before or after, not both");
        }
        Conv c = member(userId, convId);
        long floor;
        synchronized (c) {
            floor = requireMember(c, userId).joinedSeq;
        }
        boolean ascending = after != null;
        String sql = SELECT_MESSAGE + "WHERE m.conversation_id = ? AND m.seq > ? AND m.seq < ? AND NOT EXISTS "
                + "(SELECT 1 FROM chat_hidden h WHERE h.conversation_id = m.conversation_id AND h.seq = m.seq "
                + "AND h.user_id = ?) ORDER BY m.seq " + (ascending ? "ASC" : "DESC") + " LIMIT ?";
        ObjectNode answer = Json.object();
        ArrayNode out = answer.putArray("messages");
        boolean more = false;
        try (Connection tx = database.connection(); PreparedStatement p = tx.prepareStatement(sql)) {
            p.setString(1, c.id);
            p.setLong(2, Math.max(floor, ascending ? after : 0));
            p.setLong(3, before == null ? Long.MAX_VALUE : before);
            p.setString(4, userId);
            p.setInt(5, limit + 1);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (out.size() == limit) {
                        more = true;
                        break;
                    }
                    out.add(messageRow(r));
                }
            }
        }
        answer.put("hasMore", more);
        return answer;
    }

    // ------------------------------------------------------------------ helpers

    private static final String SELECT_MESSAGE = "SELECT m.conversation_id, m.seq, m.message_id, m.sender_id, "
            + "m.created_at, m.content_json, m.edited_at, m.deleted, m.reactions_json FROM chat_messages m ";

    private ObjectNode messageRow(ResultSet r) throws SQLException {
        String convId = r.getString(1);
        Conv c = conversations.get(convId);
        ObjectNode m = Json.object();
        m.put("conversationId", convId);
        m.put("kind", c == null ? null : c.kind);
        m.put("seq", r.getLong(2));
        m.put("messageId", r.getString(3));
        m.put("senderId", r.getString(4));
        m.put("ts", r.getLong(5));
        m.set("content", Json.read(r.getString(6)));
        if (r.getLong(7) != 0) {
            m.put("editedAt", r.getLong(7));
        }
        if (r.getBoolean(8)) {
            m.put("deleted", true);
        }
        JsonNode reactions = Json.read(r.getString(9));
        if (!reactions.isEmpty()) {
            m.set("reactions", reactions);
        }
        return m;
    }

    private static ObjectNode messageJson(Conv c, long seq, String messageId, String sender, long ts, JsonNode content,
            long editedAt, boolean deleted, JsonNode reactions) {
        ObjectNode m = Json.object();
        m.put("conversationId", c.id);
        m.put("kind", c.kind);
        m.put("seq", seq);
        m.put("messageId", messageId);
        m.put("senderId", sender);
        m.put("ts", ts);
        m.set("content", content);
        if (editedAt != 0) {
            m.put("editedAt", editedAt);
        }
        if (deleted) {
            m.put("deleted", true);
        }
        if (reactions != null && !reactions.isEmpty()) {
            m.set("reactions", reactions);
        }
        return m;
    }

    /**
     * Message ids are unique per sender, so a conversation may hold the same id from two senders: the
     * key is (sender, messageId). Caller holds the conversation's monitor.
     *
     * @return the user's own message with that id, else another sender's (the caller refuses it), else
     *         NOT_FOUND
     */
    private ObjectNode ownMessage(Conv c, String userId, String messageId) throws WireException, SQLException {
        List<ObjectNode> found = messages(c, messageId);
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
        List<ObjectNode> found = messages(c, messageId);
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

    private List<ObjectNode> messages(Conv c, String messageId) throws SQLException {
        List<ObjectNode> found = new ArrayList<>();
        try (Connection tx = database.connection();
                PreparedStatement p = tx.prepareStatement(SELECT_MESSAGE
                        + "WHERE m.conversation_id = ? AND m.message_id = ? ORDER BY m.seq")) {
            p.setString(1, c.id);
            p.setString(2, messageId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    found.add(messageRow(r));
                }
            }
        }
        return found;
    }

    /**
     * Appends the event to the log of every member (the actor's own devices included when
     * {@code toActor}), except members who block the actor. Caller holds the conversation's monitor.
     */
    private void fanOut(Conv c, String actor, String type, ObjectNode data, boolean toActor) throws SQLException {
        fanOut(c, actor, type, data, toActor, null);
    }

    /** As above, in one transaction that first runs {@code first}. */
    private void fanOut(Conv c, String actor, String type, ObjectNode data, boolean toActor,
            Database.SessionWork<?> first) throws SQLException {
        List<String> hidden = new ArrayList<>(0);
        List<String> recipients = recipients(c, actor, toActor, "chat.message".equals(type) ? hidden : null);
        long seq = data.path("seq").asLong();
        events.appendAll(recipients, type, Json.write(data), s -> {
            if (first != null) {
                first.run(s);
            }
            for (String member : hidden) {
                hide(s, c.id, seq, member);
            }
            return null;
        });
    }

    /**
     * @return the members an event of the actor goes to: all but those who block the actor, then the
     *         actor if {@code toActor} (the others' frames leave first: they wait for it, the actor has
     *         its answer); those who block the actor are added to {@code blocking} unless it is null
     */
    private List<String> recipients(Conv c, String actor, boolean toActor, List<String> blocking)
            throws SQLException {
        BlockPolicy policy = blocks;
        List<String> recipients = new ArrayList<>(c.members.size());
        boolean actorIsMember = false;
        for (String member : c.members.keySet()) {
            if (member.equals(actor)) {
                actorIsMember = true;
            } else if (!policy.blocks(member, actor)) {
                recipients.add(member);
            } else if (blocking != null) {
                blocking.add(member);
            }
        }
        if (toActor && actorIsMember) {
            recipients.add(actor);
        }
        return recipients;
    }

    /** Records that a blocked sender's message is withheld from the user (once, also when sent again). */
    private static void hide(DbSession s, String convId, long seq, String userId) throws SQLException {
        PreparedStatement known = s.statement("SELECT 1 FROM chat_hidden WHERE conversation_id = ? AND seq = ? "
                + "AND user_id = ?");
        known.setString(1, convId);
        known.setLong(2, seq);
        known.setString(3, userId);
        try (ResultSet r = known.executeQuery()) {
            if (r.next()) {
                return;
            }
        }
        PreparedStatement p = s.statement("INSERT INTO chat_hidden (conversation_id, seq, user_id) VALUES (?, ?, ?)");
        p.setString(1, convId);
        p.setLong(2, seq);
        p.setString(3, userId);
        p.executeUpdate();
    }

    private void groupEvent(Conv c, String actor, String change, List<String> userIds, Iterable<String> recipients)
            throws SQLException {
        ObjectNode ev = Json.object().put("conversationId", c.id).put("change", change).put("actor", actor);
        ArrayNode a = ev.putArray("userIds");
        userIds.forEach(a::add);
        for (String r : List.copyOf(toList(recipients))) {
            ev.set("conversation", conversationJson(c, r));
            events.append(r, "group.updated", ev);
        }
    }

    private static List<String> toList(Iterable<String> it) {
        List<String> l = new ArrayList<>();
        for (Iterator<String> i = it.iterator(); i.hasNext();) {
            l.add(i.next());
        }
        return l;
    }

    private static ObjectNode conversationJson(Conv c, String forUser) {
        ObjectNode o = Json.object();
        o.put("id", c.id);
        o.put("kind", c.kind);
        o.put("title", c.title);
        o.put("createdBy", c.createdBy);
        o.put("createdAt", c.createdAt);
        o.put("lastSeq", c.lastSeq);
        Member me = c.members.get(forUser);
        if (me != null) {
            o.put("joinedSeq", me.joinedSeq);
        }
        ArrayNode members = o.putArray("members");
        c.members.forEach((u, m) -> members.addObject().put("userId", u).put("role", m.role)
                .put("deliveredUpTo", m.deliveredUpTo).put("readUpTo", m.readUpTo));
        return o;
    }

    private long unread(String convId, String userId, long after) throws SQLException {
        try (Connection tx = database.connection();
                PreparedStatement p = tx.prepareStatement("SELECT COUNT(*) FROM chat_messages m WHERE "
                        + "m.conversation_id = ? AND m.seq > ? AND m.sender_id <> ? AND m.deleted = FALSE AND NOT EXISTS "
                        + "(SELECT 1 FROM chat_hidden h WHERE h.conversation_id = m.conversation_id AND h.seq = m.seq "
                        + "AND h.user_id = ?)")) {
            p.setString(1, convId);
            p.setLong(2, after);
            p.setString(3, userId);
            p.setString(4, userId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** The content of a message, checked and rebuilt with only the members this version knows. */
    static ObjectNode content(ObjectNode in) throws WireException {
        String kind = Fields.requiredText(in, "kind", 1, 16, null);
        ObjectNode out = Json.object().put("kind", kind);
        switch (kind) {
            case "text" -> out.put("text", text(in, "text"));
            case "media" -> {
                out.put("fileId", Fields.requiredText(in, "fileId", 1, 128, null));
                out.put("mimeType", Fields.requiredText(in, "mimeType", 1, 100, null));
                Long size = Fields.optionalNonNegativeLong(in, "size");
                if (size == null) {
                    throw WireException.invalid("size", "MISSING_FIELD", "size is required: the file's size in bytes");
                }
                out.put("size", size);
                for (String f : List.of("width", "height", "durationMs")) {
                    Long v = Fields.optionalNonNegativeLong(in, f);
                    if (v != null) {
                        out.put(f, v);
                    }
                }
                String thumb = Fields.optionalText(in, "thumbnailFileId", 1, 128, null);
                if (thumb != null) {
                    out.put("thumbnailFileId", thumb);
                }
                String name = Fields.optionalText(in, "name", 0, 255, null);
                if (name != null) {
                    out.put("name", name);
                }
                String caption = Fields.optionalText(in, "caption", 0, MAX_TEXT_CHARS, null);
                if (caption != null) {
                    out.put("caption", caption);
                }
            }
            case "location" -> {
                out.put("latitude", coordinate(in, "latitude", 90));
                out.put("longitude", coordinate(in, "longitude", 180));
                String label = Fields.optionalText(in, "label", 0, 200, null);
                if (label != null) {
                    out.put("label", label);
                }
            }
            case "custom" -> {
                out.put("customType", Fields.requiredText(in, "customType", 1, 64, CUSTOM_TYPE));
                out.set("data", Fields.requiredObject(in, "data"));
            }
            default -> throw WireException.invalid("kind", "BAD_FIELD", "kind must be text, media, location or custom");
        }
        return out;
    }

    private static String text(ObjectNode in, String field) throws WireException {
        String text = Fields.requiredText(in, field, 1, MAX_TEXT_CHARS, null);
        if (text.isBlank()) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must not be empty or blank");
        }
        return text;
    }

    private static double coordinate(ObjectNode in, String field, double max) throws WireException {
        JsonNode n = in.get(field);
        if (n == null || !n.isNumber()) {
            throw WireException.invalid(field, n == null ? "MISSING_FIELD" : "BAD_FIELD", field + " is required: a number");
        }
        double v = n.asDouble();
        if (Double.isNaN(v) || v < -max || v > max) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must be between -" + (int) max + " and " + (int) max);
        }
        return v;
    }

    private Set<String> userIds(ObjectNode data, String field, int min) throws WireException {
        JsonNode n = data.get(field);
        Set<String> ids = new LinkedHashSet<>();
        if (n == null || n.isNull()) {
            if (min > 0) {
                throw WireException.invalid(field, "MISSING_FIELD", field + " is required: an array of user ids");
            }
            return ids;
        }
        if (!n.isArray()) {
            throw WireException.invalid(field, "BAD_FIELD", field + " must be an array of user ids");
        }
        for (JsonNode u : n) {
            if (!u.isTextual() || u.textValue().isEmpty() || u.textValue().length() > 64) {
                throw WireException.invalid(field, "BAD_FIELD", field + " must hold user ids (strings of 1 to 64 characters)");
            }
            ids.add(u.textValue());
        }
        if (ids.size() < min) {
            throw WireException.invalid(field, "MISSING_FIELD", field + " must name at least " + min + " user");
        }
        if (ids.size() > MAX_GROUP_MEMBERS) {
            throw WireException.invalid(field, "TOO_LONG", field + " may name at most " + MAX_GROUP_MEMBERS + " users");
        }
        return ids;
    }

    /** A user of the actor's carrier: users of other carriers are as unknown as users that do not exist. */
    private void requireUser(String actor, String userId, String field) throws WireException, SQLException {
        try (Connection tx = database.connection();
                PreparedStatement p = tx.prepareStatement("SELECT 1 FROM accounts a JOIN accounts me"
                        + " ON me.carrier = a.carrier WHERE a.id = ? AND me.id = ?")) {
            p.setString(1, userId);
            p.setString(2, actor);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_USER", "no user " + userId + " (" + field + ")");
                }
            }
        }
    }

    /** @return the conversation if the user is a member; NOT_FOUND otherwise (unknown and not-member alike) */
    private Conv member(String userId, String convId) throws WireException, SQLException {
        Conv c = load(convId);
        if (c == null) {
            throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_CONVERSATION", "no conversation " + convId);
        }
        return c;
    }

    private Conv group(String userId, ObjectNode data) throws WireException, SQLException {
        String convId = Fields.requiredText(data, "conversationId", 1, 80, CONVERSATION_ID);
        Conv c = member(userId, convId);
        if (c.direct()) {
            throw WireException.invalid("conversationId", "BAD_FIELD", "conversation " + convId
                    + " is a direct conversation, not a group");
        }
        return c;
    }

    private static Member requireMember(Conv c, String userId) throws WireException {
        Member m = c.members.get(userId);
        if (m == null) {
            throw WireException.of(WireCode.NOT_FOUND, "NOT_A_MEMBER", "you are not a member of conversation " + c.id);
        }
        return m;
    }

    private static Member requireRole(Conv c, String userId, String what, String... roles) throws WireException {
        Member m = requireMember(c, userId);
        for (String r : roles) {
            if (r.equals(m.role)) {
                return m;
            }
        }
        throw WireException.unauthorized("NOT_ALLOWED", "a " + m.role + " cannot " + what + " in conversation " + c.id);
    }

    /** @return the cached conversation, loaded from the database on first use; null if it does not exist */
    private Conv load(String id) throws SQLException {
        Conv c = conversations.get(id);
        if (c != null) {
            return c;
        }
        try (Connection tx = database.connection()) {
            try (PreparedStatement p = tx.prepareStatement(
                    "SELECT kind, title, created_by, created_at FROM chat_conversations WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    c = new Conv(id, r.getString(1), r.getString(2), r.getString(3), r.getLong(4));
                }
            }
            try (PreparedStatement p = tx.prepareStatement("SELECT user_id, role, joined_seq, joined_at, delivered_upto, "
                    + "read_upto FROM chat_members WHERE conversation_id = ? ORDER BY joined_at, user_id")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        c.members.put(r.getString(1), new Member(r.getString(2), r.getLong(3), r.getLong(4),
                                r.getLong(5), r.getLong(6)));
                    }
                }
            }
            try (PreparedStatement p = tx.prepareStatement(
                    "SELECT MAX(seq) FROM chat_messages WHERE conversation_id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    c.lastSeq = r.next() ? r.getLong(1) : 0;
                }
            }
        }
        Conv raced = conversations.putIfAbsent(id, c);
        return raced == null ? c : raced;
    }

    private static void insertConversation(Connection tx, String id, String kind, String title, String by, long now)
            throws SQLException {
        exec(tx, "INSERT INTO chat_conversations (id, kind, title, created_by, created_at) VALUES (?, ?, ?, ?, ?)", id,
                kind, title, by, now);
    }

    private static void insertMember(Connection tx, String convId, String userId, String role, long joinedSeq, long now)
            throws SQLException {
        exec(tx, "INSERT INTO chat_members (conversation_id, user_id, role, joined_seq, joined_at, delivered_upto, "
                + "read_upto) VALUES (?, ?, ?, ?, ?, ?, ?)", convId, userId, role, joinedSeq, now, joinedSeq, joinedSeq);
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection tx = database.connection()) {
            exec(tx, sql, args);
        }
    }

    private static void exec(Connection tx, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = tx.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Long l) {
                    p.setLong(i + 1, l);
                } else {
                    p.setString(i + 1, (String) a);
                }
            }
            p.executeUpdate();
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
