package org.m800.server.internal.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The server's relational store: H2 (pooled) by default, any JDBC database with a driver on the
 * class path otherwise. Thread-safe. SQL written against it sticks to what H2 and PostgreSQL both
 * accept.
 */
public final class Database implements AutoCloseable {
    /** Sessions kept open for {@link #inSession}; more may be open at once, the rest are closed. */
    static final int IDLE_SESSIONS = 8;

    private final String url;
    private final String user;
    private final String password;
    private final JdbcConnectionPool h2Pool;
    private final ArrayDeque<DbSession> idle = new ArrayDeque<>();
    private boolean closed;

    public Database(String url, String user, String password) {
        url = durable(url);
        this.url = url;
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
        if (url.startsWith("jdbc:h2:")) {
            h2Pool = JdbcConnectionPool.create(url, this.user, this.password);
            h2Pool.setMaxConnections(64);
        } else {
            h2Pool = null;
        }
    }

    /**
     * An H2 URL with {@code WRITE_DELAY=0} unless it sets a write delay itself. H2's default (500 ms)
     * keeps committed transactions in memory and writes them to the file later, so a process kill lost
     * writes the server had already answered, and their seqs were handed out again after the restart.
     * With 0 every commit is written to the file (the operating system's cache) before it returns: it
     * survives a kill of the process, not a power loss (H2 does not fsync each commit; docs/protocol.md
     * section "Durability").
     */
    static String durable(String url) {
        if (!url.startsWith("jdbc:h2:") || url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=")) {
            return url;
        }
        return url + ";WRITE_DELAY=0";
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

    /** Work done in one transaction of a {@link DbSession}. */
    @FunctionalInterface
    public interface SessionWork<T> {
        T run(DbSession s) throws SQLException;
    }

    /**
     * Runs the work in a transaction of a session whose prepared statements are kept between uses:
     * committed when it returns, rolled back when it throws. Meant for statements run very often
     * (one per message). A session whose rollback fails is closed instead of reused.
     */
    public <T> T inSession(SessionWork<T> work) throws SQLException {
        DbSession s = borrow();
        boolean reusable = false;
        try {
            T result = work.run(s);
            s.commit();
            reusable = true;
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                s.rollback();
                reusable = true;
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            giveBack(s, reusable);
        }
    }

    private DbSession borrow() throws SQLException {
        synchronized (this) {
            if (closed) {
                throw new SQLException("database closed");
            }
            DbSession s = idle.poll();
            if (s != null) {
                return s;
            }
        }
        return new DbSession(connection());
    }

    private void giveBack(DbSession s, boolean reusable) {
        synchronized (this) {
            if (reusable && !closed && idle.size() < IDLE_SESSIONS) {
                idle.push(s);
                return;
            }
        }
        s.close();
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
            idle.forEach(DbSession::close);
            idle.clear();
        }
        if (h2Pool != null) {
            h2Pool.dispose();
        }
    }
}
