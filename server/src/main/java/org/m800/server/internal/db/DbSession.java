package org.m800.server.internal.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection kept open between uses together with the statements prepared on it, so that a hot
 * statement is parsed once per connection instead of once per use. Lent to one thread at a time by
 * {@link Database#inSession}; not thread-safe.
 */
public final class DbSession {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    DbSession(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
    }

    /**
     * @return the statement for this SQL, prepared on first use; its parameters are whatever the last
     *         user set, so set them all. The caller must not close it.
     */
    public PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            p = connection.prepareStatement(sql);
            statements.put(sql, p);
        }
        return p;
    }

    /** @return the connection, in a transaction that {@link Database#inSession} ends */
    public Connection connection() {
        return connection;
    }

    void commit() throws SQLException {
        connection.commit();
    }

    void rollback() throws SQLException {
        connection.rollback();
    }

    void close() {
        try {
            // a pooled connection goes back to the pool, where the others expect it autocommitting
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // closed below either way
        }
        try {
            connection.close(); // closes its statements too
        } catch (SQLException ignored) {
            // the connection is being dropped: nothing to keep
        }
    }
}
