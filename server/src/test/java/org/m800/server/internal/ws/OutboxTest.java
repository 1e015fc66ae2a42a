package org.m800.server.internal.ws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Test;

/**
 * A connection's frames leave in the order offered although they are written on pool threads, not on
 * the thread that offers them (the database's writer): frames of a later batch never overtake those of
 * an earlier one, however the pool runs its tasks.
 */
public class OutboxTest {
    private final List<ExecutorService> pools = new ArrayList<>();

    @After
    public void stopPools() throws InterruptedException {
        for (ExecutorService p : pools) {
            p.shutdownNow();
            assertTrue("a pool did not stop", p.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private ExecutorService pool(int threads) {
        ExecutorService p = Executors.newFixedThreadPool(threads);
        pools.add(p);
        return p;
    }

    /** Records what is written, by which thread; completes each write at once or later (see {@link #later}). */
    private static final class RecordingWire implements Outbox.Wire {
        final List<String> frames = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        /** When set, writes complete there, in order, as Jetty's completes them after the socket takes them. */
        ExecutorService later;
        volatile CountDownLatch expected = new CountDownLatch(0);

        @Override
        public void text(String frame, boolean more, Runnable written, Consumer<Throwable> failed) {
            frames.add(frame);
            threads.add(Thread.currentThread().getName());
            expected.countDown();
            if (later == null) {
                written.run();
            } else {
                later.execute(written);
            }
        }

        @Override
        public void flush() {
            // nothing buffered here
        }

        @Override
        public void close(int code, String reason) {
            frames.add("close " + code);
            expected.countDown();
        }
    }

    /** Holds the tasks; runs them when told, the newest first: the worst order a pool could pick. */
    private static final class HeldTasks implements java.util.concurrent.Executor {
        final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.push(task);
        }

        void runNewestFirst() {
            while (!tasks.isEmpty()) {
                tasks.pop().run();
            }
        }
    }

    @Test
    public void aLaterBatchNeverOvertakesAnEarlierOneWhateverOrderThePoolRunsItsTasksIn() {
        RecordingWire wire = new RecordingWire();
        HeldTasks pool = new HeldTasks();
        Outbox out = new Outbox(wire, 1000, pool);
        out.send("batch1-a", true);
        out.send("batch1-b", true);
        out.send("batch2-a", true);
        assertTrue("nothing is written on the offering thread", wire.frames.isEmpty());
        out.send("batch3-a", true);
        pool.runNewestFirst();
        assertEquals(List.of("batch1-a", "batch1-b", "batch2-a", "batch3-a"), wire.frames);
        // once drained, the next frame is again handed to the pool, not written here
        out.send("batch4-a", true);
        assertEquals(4, wire.frames.size());
        pool.runNewestFirst();
        assertEquals("batch4-a", wire.frames.get(4));
    }

    @Test
    public void framesOfManyBatchesLeaveInOrderOnPoolThreadsWithWritesCompletingLater() throws Exception {
        RecordingWire wire = new RecordingWire();
        wire.later = pool(1);
        Outbox out = new Outbox(wire, Integer.MAX_VALUE, pool(4));
        int batches = 2000;
        List<String> offered = new ArrayList<>();
        int n = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Integer> sizes = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            int size = 1 + random.nextInt(Outbox.MAX_IN_FLIGHT * 2);
            sizes.add(size);
            n += size;
        }
        wire.expected = new CountDownLatch(n);
        String offering = Thread.currentThread().getName();
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < sizes.get(b); i++) {
                String f = "b" + b + "-" + i;
                offered.add(f);
                out.send(f, true);
            }
            if (b % 7 == 0) {
                Thread.yield(); // let a pool thread drain the queue now and then, so that new pumps start
            }
        }
        assertTrue("only " + (n - wire.expected.getCount()) + " of " + n + " frames were written",
                wire.expected.await(60, TimeUnit.SECONDS));
        assertEquals(offered, new ArrayList<>(wire.frames));
        assertFalse("a frame was written on the offering thread", wire.threads.contains(offering));
    }

    @Test
    public void aCloseLeavesAfterTheFramesBeforeItAndLaterFramesAreDropped() throws Exception {
        RecordingWire wire = new RecordingWire();
        wire.expected = new CountDownLatch(3);
        Outbox out = new Outbox(wire, 1000, pool(2));
        out.send("one", true);
        out.send("two", true);
        out.close(1000, "bye");
        out.send("after the close", true);
        assertTrue(wire.expected.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("one", "two", "close 1000"), new ArrayList<>(wire.frames));
    }

    @Test
    public void whenThePoolRejectsTheOfferingThreadWritesInOrder() {
        RecordingWire wire = new RecordingWire();
        Outbox out = new Outbox(wire, 1000, task -> {
            throw new RejectedExecutionException("stopping");
        });
        out.send("one", true);
        out.send("two", true);
        out.close(1001, "server stopping");
        assertEquals(List.of("one", "two", "close 1001"), wire.frames);
    }

    @Test
    public void aConsumerTooSlowForTheLimitIsClosedAndItsQueueDropped() {
        RecordingWire wire = new RecordingWire();
        HeldTasks pool = new HeldTasks();
        Outbox out = new Outbox(wire, 3, pool);
        for (int i = 0; i < 4; i++) {
            out.send("f" + i, true);
        }
        out.send("unbounded", false); // dropped too: the connection is closing
        pool.runNewestFirst();
        assertEquals(List.of("close 1008"), wire.frames);
    }
}
