package org.m800.server.internal.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.db.DbSession;
import org.m800.server.internal.wire.Json;

/**
 * The chat's tables (V1__chat.sql): every SQL statement of the chat, nothing else. Each method is one
 * statement or one transaction; the rules that decide what to write are the services'. Thread-safe.
 */
final class ChatTables {

    private static final String SELECT_MESSAGE = "SELECT m.conversation_id, m.seq, m.message_id, m.sender_id, "
            + "m.created_at, m.content_json, m.edited_at, m.deleted, m.reactions_json FROM chat_messages m ";

    /** The sender used this message id before: thrown inside the message's transaction, which rolls back. */
    static final class MessageIdTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MessageIdTaken(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final Database database;

    ChatTables(Database database) {
        this.database = database;
    }

    Database database() {
        return database;
    }

    // ------------------------------------------------------------------ conversations and members

    /** @return the conversation with its members and the seq of its last message; null if it does not exist */
    Conv conversation(String id) throws SQLException {
        Conv c;
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
            c.lastSeq = lastSeq(tx, id);
        }
        return c;
    }

    /** @return the seq of the conversation's last stored message, 0 if none */
    private static long lastSeq(Connection tx, String id) throws SQLException {
        try (PreparedStatement p = tx.prepareStatement("SELECT MAX(seq) FROM chat_messages WHERE conversation_id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /** @return the ids of the conversations the user is a member of */
    List<String> memberships(String userId) throws SQLException {
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
        return ids;
    }

    /** Creates a conversation and its first members (all joined at seq 0), in one transaction. */
    void createConversation(String id, String kind, String title, String by, long now, Map<String, String> roles)
            throws SQLException {
        database.inTransaction(tx -> {
            exec(tx, "INSERT INTO chat_conversations (id, kind, title, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                    id, kind, title, by, now);
            for (Map.Entry<String, String> m : roles.entrySet()) {
                insertMember(tx, id, m.getKey(), m.getValue(), 0, now);
            }
            return null;
        });
    }

    void addMembers(String convId, Collection<String> userIds, String role, long joinedSeq, long now)
            throws SQLException {
        database.inTransaction(tx -> {
            for (String u : userIds) {
                insertMember(tx, convId, u, role, joinedSeq, now);
            }
            return null;
        });
    }

    private static void insertMember(Connection tx, String convId, String userId, String role, long joinedSeq, long now)
            throws SQLException {
        exec(tx, "INSERT INTO chat_members (conversation_id, user_id, role, joined_seq, joined_at, delivered_upto, "
                + "read_upto) VALUES (?, ?, ?, ?, ?, ?, ?)", convId, userId, role, joinedSeq, now, joinedSeq, joinedSeq);
    }

    void removeMember(String convId, String userId) throws SQLException {
        update("DELETE FROM chat_members WHERE conversation_id = ? AND user_id = ?", convId, userId);
    }

    /** Removes the member and, if {@code heir} is not null, makes the heir the owner, in one transaction. */
    void leave(String convId, String userId, String heir) throws SQLException {
        database.inTransaction(tx -> {
            exec(tx, "DELETE FROM chat_members WHERE conversation_id = ? AND user_id = ?", convId, userId);
            if (heir != null) {
                exec(tx, "UPDATE chat_members SET role = ? WHERE conversation_id = ? AND user_id = ?", Member.OWNER,
                        convId, heir);
            }
            return null;
        });
    }

    void setRole(String convId, String userId, String role) throws SQLException {
        update("UPDATE chat_members SET role = ? WHERE conversation_id = ? AND user_id = ?", role, convId, userId);
    }

    void setTitle(String convId, String title) throws SQLException {
        update("UPDATE chat_conversations SET title = ? WHERE id = ?", title, convId);
    }

    void setMarks(String convId, String userId, long deliveredUpTo, long readUpTo) throws SQLException {
        update("UPDATE chat_members SET delivered_upto = ?, read_upto = ? WHERE conversation_id = ? AND user_id = ?",
                deliveredUpTo, readUpTo, convId, userId);
    }

    /** @return whether the user exists and has the actor's carrier */
    boolean sameCarrier(String actor, String userId) throws SQLException {
        try (Connection tx = database.connection();
                PreparedStatement p = tx.prepareStatement("SELECT 1 FROM accounts a JOIN accounts me"
                        + " ON me.carrier = a.carrier WHERE a.id = ? AND me.id = ?")) {
            p.setString(1, userId);
            p.setString(2, actor);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    // ------------------------------------------------------------------ messages

    /** Inside the message's transaction. @throws MessageIdTaken if the sender used the id before */
    static void insertMessage(DbSession s, String convId, long seq, String messageId, String senderId, long now,
            String contentJson) throws SQLException {
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

    /** Records that a blocked sender's message is withheld from the user (once, also when sent again). */
    static void hide(DbSession s, String convId, long seq, String userId) throws SQLException {
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

    /** @return the sender's message with that id, in whatever conversation; null if none */
    ObjectNode sentMessage(String senderId, String messageId, String kind) throws SQLException {
        try (Connection tx = database.connection();
                PreparedStatement p = tx.prepareStatement(SELECT_MESSAGE + "WHERE sender_id = ? AND message_id = ?")) {
            p.setString(1, senderId);
            p.setString(2, messageId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? messageRow(r, kind) : null;
            }
        }
    }

    /** @return the messages of the conversation with that id (one per sender that used it), in seq order */
    List<ObjectNode> messages(Conv c, String messageId) throws SQLException {
        List<ObjectNode> found = new ArrayList<>();
        try (Connection tx = database.connection();
                PreparedStatement p = tx.prepareStatement(SELECT_MESSAGE
                        + "WHERE m.conversation_id = ? AND m.message_id = ? ORDER BY m.seq")) {
            p.setString(1, c.id);
            p.setString(2, messageId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    found.add(messageRow(r, c.kind));
                }
            }
        }
        return found;
    }

    /**
     * Up to {@code limit + 1} messages with a seq in ({@code after}, {@code before}) not withheld from the
     * user, ascending if {@code ascending}, else descending.
     */
    List<ObjectNode> history(Conv c, String userId, long after, long before, boolean ascending, int limit)
            throws SQLException {
        String sql = SELECT_MESSAGE + "WHERE m.conversation_id = ? AND m.seq > ? AND m.seq < ? AND NOT EXISTS "
                + "(SELECT 1 FROM chat_hidden h WHERE h.conversation_id = m.conversation_id AND h.seq = m.seq "
                + "AND h.user_id = ?) ORDER BY m.seq " + (ascending ? "ASC" : "DESC") + " LIMIT ?";
        List<ObjectNode> out = new ArrayList<>();
        try (Connection tx = database.connection(); PreparedStatement p = tx.prepareStatement(sql)) {
            p.setString(1, c.id);
            p.setLong(2, after);
            p.setLong(3, before);
            p.setString(4, userId);
            p.setInt(5, limit + 1);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(messageRow(r, c.kind));
                }
            }
        }
        return out;
    }

    void editMessage(String convId, long seq, String contentJson, long editedAt) throws SQLException {
        update("UPDATE chat_messages SET content_json = ?, edited_at = ? WHERE conversation_id = ? AND seq = ?",
                contentJson, editedAt, convId, seq);
    }

    void deleteMessage(String convId, long seq) throws SQLException {
        update("UPDATE chat_messages SET deleted = TRUE, content_json = ?, reactions_json = '{}' "
                + "WHERE conversation_id = ? AND seq = ?", "{\"kind\":\"deleted\"}", convId, seq);
    }

    void setReactions(String convId, long seq, String reactionsJson) throws SQLException {
        update("UPDATE chat_messages SET reactions_json = ? WHERE conversation_id = ? AND seq = ?", reactionsJson,
                convId, seq);
    }

    /** @return how many messages after {@code after} of others, not deleted nor withheld, the user has */
    long unread(String convId, String userId, long after) throws SQLException {
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

    /**
     * @return the senders of the messages in (after, upTo] that were withheld from {@code userId} (who
     *         blocked them when they were sent), with those messages' seqs in ascending order
     */
    Map<String, List<Long>> withheldFrom(String convId, String userId, long after, long upTo) throws SQLException {
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

    private static ObjectNode messageRow(ResultSet r, String kind) throws SQLException {
        return ChatWire.messageJson(r.getString(1), kind, r.getLong(2), r.getString(3), r.getString(4), r.getLong(5),
                Json.read(r.getString(6)), r.getLong(7), r.getBoolean(8), Json.read(r.getString(9)));
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
}
