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
    /**
     * How long H2 keeps a dead chunk's space before reusing it (its default is 45 s): long enough to span
     * several of {@link #maintainFile}'s syncs, so a chunk is overwritten only once what replaced it is on
     * the disk; short enough that under load the file holds seconds of rewritten pages, not 45 s of them.
     */
    static final int RETENTION_MILLIS = 10_000;

    private final String url;
    private final String user;
    private final String password;
    private final JdbcConnectionPool h2Pool;
    private final ArrayDeque<DbSession> idle = new ArrayDeque<>();
    private final GroupCommitter committer = new GroupCommitter(this);
    /** The batch the writer thread is running; read and written by that thread only. */
    private Batch current;
    private boolean closed;
    /** The file's compaction, found on first use; null before, or if the database has no H2 file. */
    private FileCompaction compaction;
    /** Whether the database was found to have no H2 file of its own to compact. */
    private boolean noFile;

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
     * An H2 URL with {@code WRITE_DELAY=0} and {@code RETENTION_TIME} {@link #RETENTION_MILLIS} unless it sets
     * them itself. H2's default (500 ms)
     * keeps committed transactions in memory and writes them to the file later, so a process kill lost
     * writes the server had already answered, and their seqs were handed out again after the restart.
     * With 0 every commit is written to the file (the operating system's cache) before it returns: it
     * survives a kill of the process, not a power loss (H2 does not fsync each commit; docs/protocol.md
     * section "Durability").
     */
    static String durable(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return url;
        }
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (!upper.contains(";WRITE_DELAY=")) {
            url += ";WRITE_DELAY=0";
        }
        if (!upper.contains(";RETENTION_TIME=")) {
            url += ";RETENTION_TIME=" + RETENTION_MILLIS;
        }
        return url;
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
        Batch b = batch();
        if (b != null) {
            return b.unit(() -> work.run(b.connection()));
        }
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
        Batch b = batch();
        if (b != null) {
            return b.unit(() -> work.run(b.session()));
        }
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
        return new DbSession(pooled());
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

    /**
     * @return a connection the caller closes; on the writer thread during a batch, a view of the batch's
     *         connection (so the work sees the batch's own writes; see {@link Batch})
     */
    public Connection connection() throws SQLException {
        Batch b = batch();
        if (b != null) {
            return b.connection();
        }
        return pooled();
    }

    private Connection pooled() throws SQLException {
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

    // ------------------------------------------------------------------ group commit

    /** @return the batch of the calling thread, null unless it is the writer running one */
    private Batch batch() {
        return committer.isWriter() ? current : null;
    }

    /**
     * Queues work for the writer thread: it runs in the next group-commit batch, in the order offered,
     * with {@link #inSession}, {@link #inTransaction} and {@link #connection} joining the batch's
     * transaction. Whatever must wait for the commit goes to {@link #afterCommit}. Any thread; does not
     * wait.
     *
     * @return false if the database is closed (the work will not run)
     */
    public boolean submit(Runnable work) {
        return committer.offer(work);
    }

    /**
     * Runs the work on the writer thread, in a batch, and waits until that batch has committed. For
     * writes whose order must agree with the batches' (the event log's). The caller must hold no lock the
     * batches' work takes. On the writer thread it runs at once, in the current batch.
     *
     * @throws SQLException the work's, or the commit's failure
     */
    public <T> T onWriter(Work<T> work) throws SQLException {
        if (committer.isWriter()) {
            return work.run(connection());
        }
        java.util.concurrent.CompletableFuture<T> done = new java.util.concurrent.CompletableFuture<>();
        boolean queued = submit(() -> {
            try {
                T result = inTransaction(work);
                afterCommit(() -> done.complete(result));
                ifRolledBack(() -> done.completeExceptionally(new SQLException("the batch was rolled back")));
            } catch (SQLException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        if (!queued) {
            throw new SQLException("database closed");
        }
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the writer", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new SQLException(e.getCause());
        }
    }

    /** @return whether work submitted to the writer waits for it (has not yet joined a batch); any thread */
    public boolean workWaiting() {
        return committer.hasQueued();
    }

    /** @return whether the calling thread is the writer (its work joins a batch) */
    public boolean onWriterThread() {
        return committer.isWriter();
    }

    /**
     * Runs the action once the current batch has committed (in the order registered), or at once when the
     * caller is not in a batch (its writes, if any, are committed already).
     */
    public void afterCommit(Runnable action) {
        Batch b = batch();
        if (b == null) {
            action.run();
        } else {
            b.afterCommit(action);
        }
    }

    /**
     * On the writer thread, runs the action once the batch it is running (or whose after-commit actions it
     * is running) has ended and all that batch's after-commit or rollback actions have run, in the order
     * registered; on any other thread, at once. For work that is cheaper done once per batch than once per
     * after-commit action (handing the batch's frames to the threads that write them).
     */
    public void atEndOfBatch(Runnable action) {
        if (committer.isWriter()) {
            committer.atEndOfBatch(action);
        } else {
            action.run();
        }
    }

    /** Runs the action if the current batch is rolled back instead of committed; nothing outside a batch. */
    public void ifRolledBack(Runnable action) {
        Batch b = batch();
        if (b != null) {
            b.ifRolledBack(action);
        }
    }

    Batch beginBatch() throws SQLException {
        current = new Batch(borrow());
        return current;
    }

    /** Commits (or, if a unit left it broken or the commit fails, rolls back) the batch. @return whether committed */
    boolean endBatch(Batch b) {
        current = null;
        DbSession s = b.session();
        boolean reusable = false;
        try {
            if (!b.broken()) {
                s.commit();
                reusable = true;
                return true;
            }
            org.slf4j.LoggerFactory.getLogger(Database.class).error("A batch is rolled back: a savepoint failed");
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(Database.class).error("A batch's commit failed; rolling it back", e);
        } finally {
            if (!reusable) {
                try {
                    s.rollback();
                    reusable = true;
                } catch (SQLException e) {
                    org.slf4j.LoggerFactory.getLogger(Database.class).error("A batch's rollback failed", e);
                }
            }
            giveBack(s, reusable);
        }
        return false;
    }

    /**
     * Looks after the database's file if it is an embedded H2 file (see {@link FileCompaction}: forces it to
     * disk and rewrites the live pages of mostly dead chunks, so their space is reused); does nothing for
     * other databases. Meant to be called every few seconds from a housekeeping thread, not the writer.
     *
     * @return whether pages were rewritten
     */
    public boolean maintainFile() throws SQLException {
        FileCompaction f = compaction();
        synchronized (this) {
            if (f == null || closed) {
                return false; // the store closes with the pool
            }
        }
        return f.maintain();
    }

    /** @return the file's compaction, found on first use; null if the database has no H2 file of its own */
    private FileCompaction compaction() throws SQLException {
        synchronized (this) {
            if (closed || h2Pool == null || noFile || compaction != null) {
                return compaction;
            }
        }
        FileCompaction f;
        try (Connection c = pooled()) {
            f = FileCompaction.of(c);
        }
        synchronized (this) {
            compaction = f;
            noFile = f == null;
        }
        return f;
    }

    /** @return the share of live bytes in the chunks of the database's H2 file, in percent; -1 if it has none */
    public int fileLivePercent() throws SQLException {
        FileCompaction f = compaction();
        return f == null ? -1 : f.fillPercent();
    }

    /** @return whether the SQL state says a unique or primary key was violated */
    public static boolean isDuplicateKey(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    @Override
    public void close() {
        // the work already queued runs first, on the open database
        committer.close();
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
