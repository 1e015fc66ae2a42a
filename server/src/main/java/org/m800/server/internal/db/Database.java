package org.m800.server.internal.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The server's relational store: H2 (pooled) by default, any JDBC database with a driver on the
 * class path otherwise. Thread-safe. SQL written against it sticks to what H2 and PostgreSQL both
 * accept.
 */
public final class Database implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final JdbcConnectionPool h2Pool;
    private boolean closed;

    public Database(String url, String user, String password) {
        this.url = url;
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
        if (url.startsWith("jdbc:h2:")) {
            h2Pool = JdbcConnectionPool.create(url, this.user, this.password);
            h2Pool.setMaxConnections(32);
        } else {
            h2Pool = null;
        }
    }

    /** Work done with one connection in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs the work in a transaction: committed when it returns, rolled back when it throws.
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** @return a connection the caller closes */
    public Connection connection() throws SQLException {
        synchronized (this) {
            if (closed) {
                throw new SQLException("database closed");
            }
        }
        if (h2Pool != null) {
            return h2Pool.getConnection();
        }
        return DriverManager.getConnection(url, user, password);
    }

    /** @return whether the SQL state says a unique or primary key was violated */
    public static boolean isDuplicateKey(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (h2Pool != null) {
            h2Pool.dispose();
        }
    }
}
