package org.m800.server.internal.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import org.h2.engine.SessionLocal;

/**
 * One transaction shared by the work items of a group commit ({@link GroupCommitter}), and what is to
 * happen once it ends. Each unit of work in it ({@link Database#inSession}, {@link Database#inTransaction},
 * a connection's own {@code setAutoCommit(false)} ... {@code commit()}) runs under a savepoint, so a unit
 * that fails is undone alone, as when it had its own transaction. Used by the writer thread only.
 */
final class Batch {
    private final DbSession session;
    private final Connection shared;
    /** The engine's session of an embedded H2 (its savepoints cost less than JDBC's), else null. */
    private final SessionLocal h2;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> ifRolledBack = new ArrayList<>();
    /** A savepoint could not be rolled back to: the batch's state is unknown and it must not commit. */
    private boolean broken;

    Batch(DbSession session) throws SQLException {
        this.session = session;
        this.shared = sharedView(session.connection());
        this.h2 = EmbeddedH2.session(session.connection());
    }

    DbSession session() {
        return session;
    }

    /** @return the batch's connection as the work sees it: closing it, or ending "its" transaction, ends a savepoint only */
    Connection connection() {
        return shared;
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void ifRolledBack(Runnable action) {
        ifRolledBack.add(action);
    }

    List<Runnable> afterCommitActions() {
        return afterCommit;
    }

    List<Runnable> rollbackActions() {
        return ifRolledBack;
    }

    boolean broken() {
        return broken;
    }

    /** Runs one unit of work under a savepoint: kept if it returns, undone if it throws. */
    <T, E extends Exception> T unit(Unit<T, E> work) throws E, SQLException {
        if (h2 != null) {
            return h2Unit(work);
        }
        Connection c = session.connection();
        Savepoint sp = c.setSavepoint();
        try {
            T result = work.run();
            c.releaseSavepoint(sp);
            return result;
        } catch (Exception e) {
            undo(c, sp, e);
            throw e;
        }
    }

    /**
     * As {@link #unit}, with the engine's savepoint: what a JDBC savepoint does without parsing a
     * {@code SAVEPOINT} statement of a new name (it was 4 % of the writer's time under load).
     */
    private <T, E extends Exception> T h2Unit(Unit<T, E> work) throws E, SQLException {
        SessionLocal.Savepoint sp = h2.setSavepoint();
        try {
            return work.run();
        } catch (Exception e) {
            try {
                h2.rollbackTo(sp);
            } catch (RuntimeException suppressed) {
                broken = true;
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void undo(Connection c, Savepoint sp, Exception cause) {
        try {
            c.rollback(sp);
        } catch (SQLException suppressed) {
            broken = true;
            cause.addSuppressed(suppressed);
        }
    }

    /** Work of one unit. */
    @FunctionalInterface
    interface Unit<T, E extends Exception> {
        T run() throws E, SQLException;
    }

    /**
     * A view of the connection for code written for a connection of its own: {@code close()} does nothing,
     * {@code setAutoCommit(false)} opens a savepoint that {@code commit()} keeps and {@code rollback()}
     * undoes, and {@code setAutoCommit(true)} ends it. Statements run without a savepoint belong to the
     * batch, committed with it.
     */
    private Connection sharedView(Connection real) {
        Savepoint[] open = new Savepoint[1];
        InvocationHandler h = (proxy, method, args) -> {
            switch (method.getName()) {
                case "close":
                    return null;
                case "isClosed":
                    return real.isClosed();
                case "getAutoCommit":
                    return open[0] == null;
                case "setAutoCommit":
                    if (!(Boolean) args[0] && open[0] == null) {
                        open[0] = real.setSavepoint();
                    } else if ((Boolean) args[0]) {
                        open[0] = null;
                    }
                    return null;
                case "commit":
                    if (open[0] != null) {
                        real.releaseSavepoint(open[0]);
                        open[0] = real.setSavepoint();
                    }
                    return null;
                case "rollback":
                    if (args == null || args.length == 0) {
                        if (open[0] != null) {
                            try {
                                real.rollback(open[0]);
                            } catch (SQLException e) {
                                broken = true;
                                throw e;
                            }
                            open[0] = real.setSavepoint();
                        }
                        return null;
                    }
                    break;
                default:
                    break;
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Batch.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }
}
