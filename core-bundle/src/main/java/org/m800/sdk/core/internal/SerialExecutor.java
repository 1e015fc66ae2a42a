package org.m800.sdk.core.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time in submission order on a shared pool, without owning a thread: this is
 * how each client gets ordered event delivery while all clients share a few threads.
 */
public final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (tasks) {
                LOG.debug("shared threads are stopped; dropping {} queued tasks", tasks.size());
                tasks.clear();
                running = false;
            }
        }
    }

    private void drain() {
        while (true) {
            // Run a bounded batch, then yield the pool thread so that other clients are served too.
            for (int i = 0; i < 64; i++) {
                Runnable next;
                synchronized (tasks) {
                    next = tasks.poll();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    next.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("task failed on the event thread", e);
                }
            }
            try {
                pool.execute(this::drain);
                return;
            } catch (RejectedExecutionException e) {
                // The pool is shutting down (the SDK stops): it still runs what it had queued, and this is
                // such a task, so finish the backlog here rather than drop deliveries and completions; unless
                // the SDK gave up waiting (shutdownNow interrupts): then a backlog that keeps growing must
                // not keep the thread alive.
                if (Thread.currentThread().isInterrupted()) {
                    synchronized (tasks) {
                        LOG.debug("shared threads are stopped; dropping {} queued tasks", tasks.size());
                        tasks.clear();
                        running = false;
                    }
                    return;
                }
                LOG.debug("shared threads are stopping; running the rest of a client's queued tasks");
            }
        }
    }
}
