package org.m800.sdk.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

/**
 * {@link SerialExecutor}: order, and what happens to a client's queued tasks (event deliveries, future
 * completions) when the shared pool is shut down while they wait, as it is when the SDK stops right after
 * its clients closed.
 */
public class SerialExecutorTest {

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> new Thread(r, "test-pool"));

    /** Ends the task of {@link #aBacklogThatNeverEndsDoesNotKeepAStoppedPoolAlive} whatever happens. */
    private volatile boolean stopLooping;

    @After
    public void stop() throws InterruptedException {
        stopLooping = true;
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Keeps the pool's one thread busy until the latch is counted down. */
    private CountDownLatch holdPool() {
        CountDownLatch hold = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return hold;
    }

    @Test
    public void tasksRunInSubmissionOrder() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 300; i++) {
            int n = i;
            serial.execute(() -> ran.add(n));
        }
        serial.execute(done::countDown);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add(i);
        }
        assertEquals(expected, ran);
    }

    @Test
    public void everyTaskQueuedBeforeThePoolShutsDownStillRuns() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        // the event threads are behind: a long backlog waits when the SDK stops its threads
        CountDownLatch hold = holdPool();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        int backlog = 200; // more than one batch of the drain
        for (int i = 0; i < backlog; i++) {
            int n = i;
            serial.execute(() -> ran.add(n));
        }
        pool.shutdown(); // as SharedThreads.close() does: queued work still runs, new submissions are refused
        hold.countDown();
        assertTrue("the pool did not end", pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals("tasks queued before the shutdown were dropped", backlog, ran.size());
        for (int i = 0; i < backlog; i++) {
            assertEquals(Integer.valueOf(i), ran.get(i));
        }
    }

    @Test
    public void aBacklogThatNeverEndsDoesNotKeepAStoppedPoolAlive() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool);
        CountDownLatch hold = holdPool();
        CountDownLatch pastTheFirstBatches = new CountDownLatch(1000);
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            pastTheFirstBatches.countDown();
            if (!stopLooping) {
                serial.execute(again[0]); // a producer that never stops queueing
            }
        };
        serial.execute(again[0]);
        pool.shutdown();
        hold.countDown();
        assertTrue(pastTheFirstBatches.await(10, TimeUnit.SECONDS)); // draining on after the shutdown
        pool.shutdownNow(); // the SDK gives up waiting and interrupts
        assertTrue("the drain went on after shutdownNow", pool.awaitTermination(10, TimeUnit.SECONDS));
    }
}
