package org.m800.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

/** {@link ServerScheduler}: a job running when the server stops ends on its own, not interrupted. */
public class ServerSchedulerTest {
    private static final long WAIT_S = 30;

    @Test
    public void aRunningJobFinishesUninterruptedAndLaterRunsAreDropped() throws Exception {
        ScheduledThreadPoolExecutor scheduler = ServerScheduler.create("test-scheduler");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        AtomicInteger runs = new AtomicInteger();
        scheduler.scheduleWithFixedDelay(() -> {
            if (runs.incrementAndGet() > 1) {
                return;
            }
            started.countDown();
            try {
                // stands for the compaction's file sync, which an interrupt would break
                release.await(WAIT_S, TimeUnit.SECONDS);
                outcome.complete(Thread.currentThread().isInterrupted() ? "interrupted" : "finished");
            } catch (InterruptedException e) {
                outcome.complete("interrupted");
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        CompletableFuture<Void> delayed = new CompletableFuture<>();
        scheduler.schedule(() -> delayed.complete(null), 1, TimeUnit.HOURS);
        assertTrue(started.await(WAIT_S, TimeUnit.SECONDS));

        Thread stopper = new Thread(() -> ServerScheduler.stop(scheduler, WAIT_S * 1_000), "stopper");
        stopper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!scheduler.isShutdown() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue("stop() shut the scheduler down", scheduler.isShutdown());
        release.countDown();
        assertEquals("finished", outcome.get(WAIT_S, TimeUnit.SECONDS));
        stopper.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertFalse(stopper.isAlive());
        assertTrue(scheduler.isTerminated());
        assertEquals("the periodic job did not run again after the stop", 1, runs.get());
        assertFalse("a delayed job is dropped at stop", delayed.isDone());
    }
}
