package org.m800.server.internal.files;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.m800.server.internal.db.Database;

/**
 * The files' metadata in the database (never their bytes), and the access rule of docs/protocol.md
 * section 12: the uploader, and the members of every conversation with a (not deleted) message that
 * refers to the file and that they can see. Thread-safe.
 */
final class FileStore {
    private static final String COLUMNS = "f.id, f.uploader_id, f.name, f.mime_type, f.size, f.upload_offset, "
            + "f.expected_sha256, f.sha256, f.width, f.height, f.duration_ms, f.created_at, f.expires_at, f.completed";
    /** The chat side of access: a visible, not deleted message of a conversation the user is in. */
    private static final String MEMBER_OF_REFERRING = "EXISTS (SELECT 1 FROM file_refs r "
            + "JOIN chat_members m ON m.conversation_id = r.conversation_id "
            + "JOIN chat_messages msg ON msg.conversation_id = r.conversation_id AND msg.seq = r.seq "
            + "WHERE r.file_id = f.id AND m.user_id = ? AND m.joined_seq < r.seq AND msg.deleted = FALSE "
            + "AND NOT EXISTS (SELECT 1 FROM chat_hidden h WHERE h.conversation_id = r.conversation_id "
            + "AND h.seq = r.seq AND h.user_id = m.user_id))";

    private final Database database;

    FileStore(Database database) {
        this.database = database;
    }

    void insert(FileRow f) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("INSERT INTO files (id, uploader_id, name, mime_type, size, "
                        + "upload_offset, expected_sha256, sha256, width, height, duration_ms, created_at, expires_at, "
                        + "completed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, f.id());
            p.setString(2, f.uploaderId());
            p.setString(3, f.name());
            p.setString(4, f.mimeType());
            p.setLong(5, f.size());
            p.setLong(6, f.offset());
            p.setString(7, f.expectedSha256());
            p.setString(8, f.sha256());
            setLong(p, 9, f.width());
            setLong(p, 10, f.height());
            setLong(p, 11, f.durationMs());
            p.setLong(12, f.createdAt());
            p.setLong(13, f.expiresAt());
            p.setBoolean(14, f.completed());
            p.executeUpdate();
        }
    }

    /** @return the bytes of the user's files and unfinished uploads (declared sizes) */
    long storedBytes(String userId) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM files WHERE uploader_id = ?")) {
            p.setString(1, userId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** @return the upload if this user created it (finished or not; expiry is the caller's check) */
    Optional<FileRow> upload(String id, String userId) throws SQLException {
        return one("SELECT " + COLUMNS + " FROM files f WHERE f.id = ? AND f.uploader_id = ?", id, userId);
    }

    /** @return the finished file if the user may read it */
    Optional<FileRow> readable(String id, String userId) throws SQLException {
        return one("SELECT " + COLUMNS + " FROM files f WHERE f.id = ? AND f.completed = TRUE "
                + "AND (f.uploader_id = ? OR " + MEMBER_OF_REFERRING + ")", id, userId, userId);
    }

    void setOffset(String id, long offset) throws SQLException {
        update("UPDATE files SET upload_offset = ? WHERE id = ?", offset, id);
    }

    void complete(String id, String sha256) throws SQLException {
        update("UPDATE files SET completed = TRUE, sha256 = ? WHERE id = ?", sha256, id);
    }

    /** Deletes the row and the references to it. @return whether a row was deleted */
    boolean delete(String id) throws SQLException {
        return database.inTransaction(c -> {
            try (PreparedStatement refs = c.prepareStatement("DELETE FROM file_refs WHERE file_id = ?");
                    PreparedStatement row = c.prepareStatement("DELETE FROM files WHERE id = ?")) {
                refs.setString(1, id);
                refs.executeUpdate();
                row.setString(1, id);
                return row.executeUpdate() > 0;
            }
        });
    }

    /** @return ids of unfinished uploads whose expiry is at or before {@code now} */
    List<String> expired(long now) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement(
                        "SELECT id FROM files WHERE completed = FALSE AND expires_at <= ?")) {
            p.setLong(1, now);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }

    /** @return whether a row with this id exists (the orphan check of the bytes folder) */
    boolean exists(String id) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT 1 FROM files WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    /**
     * Records that a message refers to the file, in the message's transaction, if its sender may
     * refer to it: the uploader (finished or not), or a user who may read it (forwarding). A file id
     * the sender cannot see is not recorded, so knowing an id never grants access.
     */
    static void refer(Connection c, String fileId, String conversationId, long seq, String senderId)
            throws SQLException {
        try (PreparedStatement allowed = c.prepareStatement("SELECT 1 FROM files f WHERE f.id = ? AND "
                + "(f.uploader_id = ? OR (f.completed = TRUE AND " + MEMBER_OF_REFERRING + "))")) {
            allowed.setString(1, fileId);
            allowed.setString(2, senderId);
            allowed.setString(3, senderId);
            try (ResultSet r = allowed.executeQuery()) {
                if (!r.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO file_refs (file_id, conversation_id, seq) VALUES (?, ?, ?)")) {
            p.setString(1, fileId);
            p.setString(2, conversationId);
            p.setLong(3, seq);
            p.executeUpdate();
        }
    }

    private Optional<FileRow> one(String sql, String... args) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    private static FileRow row(ResultSet r) throws SQLException {
        return new FileRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5), r.getLong(6),
                r.getString(7), r.getString(8), nullableLong(r, 9), nullableLong(r, 10), nullableLong(r, 11),
                r.getLong(12), r.getLong(13), r.getBoolean(14));
    }

    private static Long nullableLong(ResultSet r, int column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement p, int index, Long value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.BIGINT);
        } else {
            p.setLong(index, value);
        }
    }

    private void update(String sql, Object first, String id) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setObject(1, first);
            p.setString(2, id);
            p.executeUpdate();
        }
    }
}
