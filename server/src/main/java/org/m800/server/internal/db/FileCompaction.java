package org.m800.server.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;

/**
 * Keeps an embedded H2 file proportional to its data while the server runs.
 *
 * <p>Why it is needed: every commit writes a new chunk holding the B-tree pages it changed, and the pages
 * it replaced stay in older chunks, which are freed only once none of their pages is live. With
 * {@code WRITE_DELAY=0} (the server's durability setting, see {@link Database#durable}) H2 runs no
 * background thread, so nothing ever rewrites the chunks that keep a few live pages among many dead ones:
 * under sustained load the file grew by about 4 KB per message, most of it dead. {@link #compactIfSparse}
 * does what H2's background thread would: when the live share of the chunks falls below
 * {@link #MIN_FILL_PERCENT}, it rewrites the sparsest chunks' live pages for at most a given time, so their
 * space is reused. H2 allows this beside concurrent writes (a commit waits while a chunk is moved).
 * Thread-safe.
 */
final class FileCompaction {
    /** Below this share of live bytes in the file's chunks, a compaction runs. */
    static final int MIN_FILL_PERCENT = 60;

    private final MVStore store;

    private FileCompaction(MVStore store) {
        this.store = store;
    }

    /**
     * @param c a connection of the database
     * @return the compaction of its file, or null if it is not an embedded H2 file (a server, memory, or
     *         another database: they look after their own files)
     */
    static FileCompaction of(Connection c) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)) {
            return null;
        }
        Session session = c.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local)) {
            return null;
        }
        Store store = local.getDatabase().getStore();
        MVStore mv = store == null ? null : store.getMvStore();
        if (mv == null || mv.getFileStore() == null || mv.getFileStore().getFileName() == null
                || mv.getFileStore().getFileName().isEmpty()) {
            return null;
        }
        return new FileCompaction(mv);
    }

    /** @return the share of live bytes in the file's chunks, in percent */
    int fillPercent() {
        return store.getFileStore().getChunksFillRate();
    }

    /**
     * Compacts the file if its chunks are sparse.
     *
     * @param maxMillis how long the compaction may run
     * @return whether it ran
     */
    boolean compactIfSparse(int maxMillis) {
        if (store.isClosed() || fillPercent() >= MIN_FILL_PERCENT) {
            return false;
        }
        store.compactFile(maxMillis);
        return true;
    }
}
