package org.m800.server.internal.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.m800.server.internal.db.Database;

/**
 * Runs the connections' socket writes so that the database's writer thread, which offers each batch's
 * answers and events once the batch is committed, does not hold up the next batch behind sockets. What
 * the writer thread offers while it ends a batch is taken up when the batch's after-commit actions have
 * all run ({@link Database#atEndOfBatch}): by then each connection's outbox holds all of its frames of
 * the batch, and one write sends them. Each such write then goes to the pool (Jetty's threads) if work
 * waits for the writer; if none does, the writer makes it itself, which is sooner than waking a pool
 * thread (27-36 us at the median on the development machine) and delays nothing, as nothing waits.
 * Writes offered by other threads go to the pool. Thread-safe.
 */
public final class SocketWriters implements Executor {
    private final Executor pool;
    private final Database database;
    /** The writes offered by the writer thread during the current batch; writer thread only. */
    private final List<Runnable> held = new ArrayList<>();

    /**
     * @param pool runs the writes
     * @param database whose writer thread's offers are held until the end of its batch
     */
    public SocketWriters(Executor pool, Database database) {
        this.pool = pool;
        this.database = database;
    }

    /** @throws RejectedExecutionException if the pool rejects it (offered by another thread than the writer) */
    @Override
    public void execute(Runnable write) {
        if (!database.onWriterThread()) {
            pool.execute(write);
            return;
        }
        if (held.isEmpty()) {
            database.atEndOfBatch(this::release);
        }
        held.add(write);
    }

    private void release() {
        try {
            for (Runnable write : held) {
                if (!database.workWaiting()) {
                    write.run();
                    continue;
                }
                try {
                    pool.execute(write);
                } catch (RejectedExecutionException e) {
                    write.run(); // the pool is stopping: the frames still leave
                }
            }
        } finally {
            held.clear();
        }
    }
}
