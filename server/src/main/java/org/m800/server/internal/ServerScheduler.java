package org.m800.server.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one housekeeping thread (purges, event-log trim, file compaction, liveness sweeps), and
 * how it stops: a job that is running when the server closes is let finish, never interrupted. An
 * interrupt in the middle of the compaction's file sync closes H2's file channel
 * ({@code ClosedByInterruptException}) just before the database itself is closed.
 */
final class ServerScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ServerScheduler.class);

    private ServerScheduler() {
    }

    /** @return a single daemon thread; jobs not yet started when it stops are dropped */
    static ScheduledThreadPoolExecutor create(String threadName) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /**
     * Stops it: waits up to {@code waitMillis} for the running job to end on its own, and only then
     * interrupts it. Returns when the thread has ended or the second wait has passed.
     */
    static void stop(ScheduledThreadPoolExecutor scheduler, long waitMillis) {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("A housekeeping job did not end within {} ms; interrupting it", waitMillis);
                scheduler.shutdownNow();
                if (!scheduler.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                    LOG.warn("The housekeeping thread did not stop in time");
                }
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
