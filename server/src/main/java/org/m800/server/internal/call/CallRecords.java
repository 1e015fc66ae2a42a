package org.m800.server.internal.call;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.db.DbSession;
import org.m800.server.internal.wire.Json;

/** The {@code call_records} table: written as a call starts, is answered and ends; paged by {@code call.log}. */
final class CallRecords {
    private final Database database;

    CallRecords(Database database) {
        this.database = database;
    }

    /** @param hidden the callee blocked the caller: the record is in the caller's log only */
    static void insert(DbSession s, String callId, String callerId, String calleeId, long createdAt, boolean hidden)
            throws SQLException {
        PreparedStatement p = s.statement("INSERT INTO call_records (call_id, caller_id, callee_id, created_at, "
                + "hidden_from_callee) VALUES (?, ?, ?, ?, ?)");
        p.setString(1, callId);
        p.setString(2, callerId);
        p.setString(3, calleeId);
        p.setLong(4, createdAt);
        p.setBoolean(5, hidden);
        p.executeUpdate();
    }

    static void answered(DbSession s, String callId, long at) throws SQLException {
        PreparedStatement p = s.statement("UPDATE call_records SET answered_at = ? WHERE call_id = ?");
        p.setLong(1, at);
        p.setString(2, callId);
        p.executeUpdate();
    }

    static void ended(DbSession s, String callId, long at, String reason, String by) throws SQLException {
        PreparedStatement p = s.statement("UPDATE call_records SET ended_at = ?, end_reason = ?, ended_by = ? "
                + "WHERE call_id = ? AND ended_at IS NULL");
        p.setLong(1, at);
        p.setString(2, reason);
        if (by == null) {
            p.setNull(3, Types.VARCHAR);
        } else {
            p.setString(3, by);
        }
        p.setString(4, callId);
        p.executeUpdate();
    }

    /** @return whether a call with this id was ever recorded */
    boolean exists(String callId) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT 1 FROM call_records WHERE call_id = ?")) {
            p.setString(1, callId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Calls left open by a server that stopped (active calls live in memory) end with {@code SERVER_RESTART}. */
    int closeOrphans(long now) throws SQLException {
        return database.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE call_records SET ended_at = ?, end_reason = "
                    + "'SERVER_RESTART' WHERE ended_at IS NULL")) {
                p.setLong(1, now);
                return p.executeUpdate();
            }
        });
    }

    /**
     * One page of a user's calls, newest first.
     *
     * @param beforeAt with {@code beforeId}: only calls older than that one (the cursor {@code next} of the
     *        previous page), or {@link Long#MAX_VALUE} for the newest
     * @return {@code {"records": [...], "next": <the cursor of the next page, absent on the last>}}
     */
    ObjectNode page(String userId, long beforeAt, String beforeId, int limit) throws SQLException {
        ObjectNode result = Json.object();
        ArrayNode records = result.putArray("records");
        String last = null;
        int n = 0;
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT call_id, caller_id, callee_id, created_at, answered_at, "
                        + "ended_at, end_reason, ended_by FROM call_records WHERE (caller_id = ? OR (callee_id = ? "
                        + "AND NOT hidden_from_callee)) "
                        + "AND (created_at < ? OR (created_at = ? AND call_id < ?)) ORDER BY created_at DESC, call_id DESC "
                        + "LIMIT ?")) {
            p.setString(1, userId);
            p.setString(2, userId);
            p.setLong(3, beforeAt);
            p.setLong(4, beforeAt);
            p.setString(5, beforeId);
            p.setInt(6, limit + 1);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (n == limit) {
                        result.put("next", last);
                        break;
                    }
                    records.add(record(r, userId));
                    last = r.getLong(4) + ":" + r.getString(1);
                    n++;
                }
            }
        }
        return result;
    }

    private static ObjectNode record(ResultSet r, String userId) throws SQLException {
        ObjectNode o = Json.object();
        String caller = r.getString(2);
        o.put("callId", r.getString(1));
        o.put("callerId", caller);
        o.put("calleeId", r.getString(3));
        o.put("direction", caller.equals(userId) ? "OUTGOING" : "INCOMING");
        o.put("createdAt", r.getLong(4));
        long answered = r.getLong(5);
        boolean wasAnswered = !r.wasNull();
        if (wasAnswered) {
            o.put("answeredAt", answered);
        }
        long ended = r.getLong(6);
        if (!r.wasNull()) {
            o.put("endedAt", ended);
            o.put("durationMs", wasAnswered ? ended - answered : 0);
            o.put("endReason", r.getString(7));
            String by = r.getString(8);
            if (by != null) {
                o.put("endedBy", by);
            }
        }
        o.put("missed", !caller.equals(userId) && !wasAnswered && ended > 0);
        return o;
    }
}
