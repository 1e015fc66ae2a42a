package org.m800.server.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;

/**
 * Keeps an embedded H2 file proportional to its data while the server runs.
 *
 * <p>Why it is needed: every commit writes a new chunk holding the B-tree pages it changed, and the pages
 * it replaced stay in older chunks, whose space is reused only once none of their pages is live and the
 * retention time has passed. With {@code WRITE_DELAY=0} (the server's durability setting, see
 * {@link Database#durable}) H2 runs no background thread, so nothing rewrote the chunks that keep a few
 * live pages among many dead ones: under sustained load the file grew by about 4 KB per message, most of
 * it dead. {@link #maintain} does what H2's background thread does: when the live share of the chunks
 * falls below {@link #MIN_FILL_PERCENT} it rewrites the live pages of the sparsest chunks (under H2's
 * store lock, beside concurrent commits, which write them out), so those chunks die, and it frees the dead
 * chunks, whose space the next commits reuse. It does not move chunks to shrink the file ({@code MVStore.compactFile}): beside concurrent
 * commits that failed H2's own assertions and closed the database.
 *
 * <p>It also forces the file to disk each time, which bounds what the retention time must cover: a chunk
 * freed after a sync is overwritten only once the commits that freed it are on the disk, so a short
 * retention ({@link Database#RETENTION_MILLIS}) is as safe as H2's default 45 s was without it. Thread-safe.
 */
final class FileCompaction {
    /** Below this share of live bytes in the file's chunks, the sparsest chunks are rewritten. */
    static final int MIN_FILL_PERCENT = 60;
    /** At most this many bytes of live pages are rewritten per call. */
    static final int MAX_REWRITE_BYTES = 4 << 20;

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
        SessionLocal local = EmbeddedH2.session(c);
        if (local == null) {
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
     * Forces the file to disk, then rewrites the live pages of sparse chunks if the file's chunks are sparse.
     *
     * @return whether pages were rewritten
     */
    boolean maintain() {
        if (store.isClosed()) {
            return false;
        }
        store.sync();
        if (fillPercent() >= MIN_FILL_PERCENT) {
            return false;
        }
        boolean rewritten = store.compact(MIN_FILL_PERCENT, MAX_REWRITE_BYTES);
        // what H2's background thread does next under the store's lock: free the chunks no live page is
        // left in (and that the retention time no longer keeps), so the next commits reuse their space
        store.executeFilestoreOperation(() -> store.getFileStore().dropUnusedChunks());
        return rewritten;
    }
}
