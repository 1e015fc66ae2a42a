package org.m800.server.internal.requests;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireException;

/**
 * Remembered answers by (scope, client request id) for de-duplication (docs/protocol.md 6.1, 7.4).
 * A scope is {@code user:<id>} for WebSocket requests and {@code app:<key>} for HTTP. An answer is
 * given again only to the same request: same scope, type (endpoint), caller and body; any other use of
 * the id is {@code CONFLICT/REQUEST_ID_REUSED}. Answers are stored sealed ({@link AnswerSeal}), never
 * in clear. Callers hold {@link #lockFor(String, String)} from {@link #find} to {@link #remember} so one
 * id executes once. Thread-safe.
 */
public final class RequestLog {
    private static final int STRIPES = 256;

    /**
     * What a repeat must share with the first request.
     *
     * @param scope {@code user:<id>} or {@code app:<key>}
     * @param requestId the client's id
     * @param type the request type or HTTP method and path
     * @param caller who asks within the scope (the HTTP bearer token), or null
     * @param body the request's data as JSON text ({@code ""} for none)
     */
    public record Request(String scope, String requestId, String type, String caller, String body) {
        AnswerSeal.Facts facts() {
            return new AnswerSeal.Facts(scope, requestId, type, caller, body);
        }
    }

    private final Database database;
    private final Clock clock;
    private final AnswerSeal seal;
    private final Object[] locks = new Object[STRIPES];

    /** @param secret the server's secret ({@link ServerSecret}) */
    public RequestLog(Database database, Clock clock, byte[] secret) {
        this.database = database;
        this.clock = clock;
        this.seal = new AnswerSeal(secret);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * @return the lock that serialises the requests of one id (striped: other ids of the scope, a slow
     *         password check among them, seldom share it)
     */
    public Object lockFor(String scope, String requestId) {
        return locks[Math.floorMod(31 * scope.hashCode() + requestId.hashCode(), STRIPES)];
    }

    /**
     * @return the remembered answer of this very request, if any
     * @throws WireException CONFLICT/REQUEST_ID_REUSED if the id was used by another request
     */
    public Optional<String> find(Request request) throws SQLException, WireException {
        String stored;
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT answer_json, created_at FROM request_log "
                        + "WHERE scope = ? AND request_id = ?")) {
            p.setString(1, request.scope());
            p.setString(2, request.requestId());
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || r.getLong(2) < clock.millis() - Limits.ANSWER_MEMORY.toMillis()) {
                    return Optional.empty();
                }
                stored = r.getString(1);
            }
        }
        return Optional.of(seal.open(request.facts(), stored));
    }

    /** Remembers the answer of the request, sealed to it. */
    public void remember(Request request, String answerJson) throws SQLException {
        String sealed = seal.seal(request.facts(), answerJson);
        database.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM request_log WHERE scope = ? AND request_id = ?")) {
                d.setString(1, request.scope());
                d.setString(2, request.requestId());
                d.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO request_log "
                    + "(scope, request_id, request_type, answer_json, created_at) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, request.scope());
                p.setString(2, request.requestId());
                p.setString(3, request.type());
                p.setString(4, sealed);
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
