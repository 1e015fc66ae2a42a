package org.m800.server.internal.requests;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Limits;

/**
 * Remembered answers by (scope, client request id) for de-duplication (docs/protocol.md 6.1, 7.4).
 * A scope is {@code user:<id>} for WebSocket requests and {@code app:<key>} for HTTP. Callers hold
 * {@link #lockFor(String)} from {@link #find} to {@link #remember} so one id executes once. Thread-safe.
 */
public final class RequestLog {
    private static final int STRIPES = 64;

    /** A remembered answer. @param type the request type it answered @param answerJson the answer */
    public record Answer(String type, String answerJson) {
    }

    private final Database database;
    private final Clock clock;
    private final Object[] locks = new Object[STRIPES];

    public RequestLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** @return the lock that serialises requests of the scope */
    public Object lockFor(String scope) {
        return locks[Math.floorMod(scope.hashCode(), STRIPES)];
    }

    public Optional<Answer> find(String scope, String requestId) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT request_type, answer_json, created_at FROM request_log "
                        + "WHERE scope = ? AND request_id = ?")) {
            p.setString(1, scope);
            p.setString(2, requestId);
            try (ResultSet r = p.executeQuery()) {
                if (r.next() && r.getLong(3) >= clock.millis() - Limits.ANSWER_MEMORY.toMillis()) {
                    return Optional.of(new Answer(r.getString(1), r.getString(2)));
                }
                return Optional.empty();
            }
        }
    }

    public void remember(String scope, String requestId, String type, String answerJson) throws SQLException {
        database.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM request_log WHERE scope = ? AND request_id = ?")) {
                d.setString(1, scope);
                d.setString(2, requestId);
                d.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO request_log "
                    + "(scope, request_id, request_type, answer_json, created_at) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, scope);
                p.setString(2, requestId);
                p.setString(3, type);
                p.setString(4, answerJson);
                p.setLong(5, clock.millis());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Forgets answers older than the de-duplication window. */
    public void purgeOld() throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("DELETE FROM request_log WHERE created_at < ?")) {
            p.setLong(1, clock.millis() - Limits.ANSWER_MEMORY.toMillis());
            p.executeUpdate();
        }
    }
}
