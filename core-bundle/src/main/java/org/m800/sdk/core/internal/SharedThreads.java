package org.m800.sdk.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.m800.sdk.core.internal.storage.DiskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that every client of one factory shares: a small pool that delivers events and runs
 * short tasks, one scheduler thread for timeouts, one thread for writes that force data to the disk,
 * and one for installing feature bundles. The number of threads does not grow with the number of clients. Threads are daemons and end
 * when idle, so a forgotten factory leaks nothing.
 */
final class SharedThreads implements AutoCloseable {

    static final int EVENT_THREADS = 2;
    private static final long KEEP_ALIVE_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(SharedThreads.class);

    private final ThreadPoolExecutor pool;
    private final ThreadPoolExecutor installs;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ScheduledExecutorService guardedScheduler;
    private final DiskQueue disk = new DiskQueue();

    SharedThreads() {
        pool = new ThreadPoolExecutor(EVENT_THREADS, EVENT_THREADS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new NamedThreads("m800-events"));
        pool.allowCoreThreadTimeOut(true);
        installs = new ThreadPoolExecutor(1, 1, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new NamedThreads("m800-feature-install"));
        installs.allowCoreThreadTimeOut(true);
        scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreads("m800-scheduler"));
        scheduler.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        guardedScheduler = new GuardedScheduler(scheduler);
    }

    /** Runs short tasks; per-client ordering comes from {@link SerialExecutor}. */
    Executor pool() {
        return pool;
    }

    /**
     * Installs feature bundles, one at a time: reading a jar from a file or a URL and starting it is disk
     * and network work, which must not hold one of the few event threads every client shares.
     */
    Executor installs() {
        return installs;
    }

    /** The shared scheduler, which refuses to be shut down by its users. */
    ScheduledExecutorService scheduler() {
        return guardedScheduler;
    }

    /** The disk thread: writes in submission order, off the event threads and the scheduler. */
    DiskQueue disk() {
        return disk;
    }

    /** Stops every thread, waiting a little for queued events to be delivered and queued writes to end. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        disk.close();
        // before the event threads: a queued install finds its client closed and fails its future there
        installs.shutdown();
        try {
            if (!installs.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("a feature bundle install still running after 5 s; interrupting it");
                // the clients are closed by now: each install still queued fails its future at once
                for (Runnable queued : installs.shutdownNow()) {
                    queued.run();
                }
            }
            pool.shutdown();
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("event threads still busy after 5 s; interrupting them");
                pool.shutdownNow();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            installs.shutdownNow();
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static final class NamedThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        NamedThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
