package org.m800.server.internal.db;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread runs the work items offered to it in batches, one transaction per
 * batch. The items offered while a batch runs make the next batch (at most {@link #MAX_ITEMS} items,
 * and no new item joins a batch that has run for {@link #MAX_NANOS}), so under load a commit (one write
 * of the file) serves many requests, and an idle server commits each request at once. What an item
 * wants done once its writes are durable (answers, events) it registers with
 * {@link Database#afterCommit}; it runs after the commit, in the order registered, and never if the batch
 * is rolled back ({@link Database#ifRolledBack} runs instead). Thread-safe.
 */
final class GroupCommitter {
    static final int MAX_ITEMS = 256;
    static final long MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private final Database database;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    /** What runs once a batch's after-commit (or rollback) actions have all run; writer thread only. */
    private final List<Runnable> endOfBatch = new ArrayList<>();
    private Thread writer;
    private boolean closed;

    GroupCommitter(Database database) {
        this.database = database;
    }

    /**
     * Runs the action on the writer once the batch it is running has ended and that batch's after-commit
     * (or rollback) actions have all run. Writer thread only (see {@link #isWriter}).
     */
    void atEndOfBatch(Runnable action) {
        endOfBatch.add(action);
    }

    /** @return whether work waits for the writer (offered and not yet taken into a batch) */
    synchronized boolean hasQueued() {
        return !queue.isEmpty();
    }

    /** @return whether the calling thread is the writer */
    boolean isWriter() {
        return Thread.currentThread() == writer;
    }

    /**
     * Queues an item for the next batch; starts the writer on first use.
     *
     * @return false if the committer is closed (the item will not run)
     */
    boolean offer(Runnable item) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            queue.add(item);
            if (writer == null) {
                writer = new Thread(this::run, "m800-server-db-writer"); // the server prefix names every server thread
                writer.setDaemon(true);
                writer.start();
            }
            notifyAll();
        }
        return true;
    }

    /** Stops the writer after the items already queued; waits for it. */
    void close() {
        Thread w;
        synchronized (this) {
            closed = true;
            notifyAll();
            w = writer;
        }
        if (w != null && w != Thread.currentThread()) {
            try {
                w.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Runnable next(boolean wait) {
        synchronized (this) {
            while (wait && queue.isEmpty() && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return queue.poll();
        }
    }

    private void run() {
        while (true) {
            Runnable first = next(true);
            if (first == null) {
                return; // closed and drained
            }
            runBatch(first);
        }
    }

    private void runBatch(Runnable first) {
        Batch batch;
        try {
            batch = database.beginBatch();
        } catch (SQLException e) {
            LOG.error("Cannot open a transaction for a batch; running its first item without one", e);
            runItem(first);
            endBatchActions();
            return;
        }
        long start = System.nanoTime();
        int n = 0;
        Runnable item = first;
        while (item != null) {
            runItem(item);
            n++;
            if (n >= MAX_ITEMS || System.nanoTime() - start >= MAX_NANOS) {
                break;
            }
            item = next(false);
        }
        boolean committed = database.endBatch(batch);
        for (Runnable action : committed ? batch.afterCommitActions() : batch.rollbackActions()) {
            runItem(action);
        }
        endBatchActions();
    }

    private void endBatchActions() {
        // an action may register another one (for the batch's end it is in): run those too
        for (int i = 0; i < endOfBatch.size(); i++) {
            runItem(endOfBatch.get(i));
        }
        endOfBatch.clear();
    }

    private static void runItem(Runnable item) {
        try {
            item.run();
        } catch (RuntimeException e) {
            LOG.error("A work item of a batch failed", e);
        }
    }
}
