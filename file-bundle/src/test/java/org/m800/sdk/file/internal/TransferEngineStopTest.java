package org.m800.sdk.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.After;
import org.junit.Test;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.testing.MemoryStorage;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.Transfer;
import org.m800.sdk.file.TransferState;

/**
 * {@link TransferEngine}: a stop (pause, close) that meets a transfer at an awkward moment — in its
 * back-off after a network failure, or between leaving the queue and starting — still stops it, and its
 * future completes. The moments are forced (a held state callback, a worker seen waiting), not waited for.
 * The bytes are moved by a task of the test's own: what is tested is the engine's state machine. Also:
 * a transfer that fails for good leaves nothing behind for a resume that will never come.
 */
public class TransferEngineStopTest {
    private static final long SECONDS = 20;

    private final MemoryStorage storage = new MemoryStorage();
    private final Map<String, byte[]> kept = storage.map();
    private final ExecutorService disk = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-disk"));
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-events"));
    private final ExecutorService closer = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-closer"));
    private final TransferStore store = new TransferStore(storage, disk);
    private final BlockingQueue<TransferState> states = new LinkedBlockingQueue<>();
    /** when set, the RUNNING callback waits on it (the worker between start() and its first attempt) */
    private volatile CountDownLatch holdRunning;
    private final CountDownLatch runningHeld = new CountDownLatch(1);
    private final TransferEngine engine = new TransferEngine("c1", 1, store, (t, state) -> {
        states.add(state);
        CountDownLatch hold = holdRunning;
        if (state == TransferState.RUNNING && hold != null) {
            runningHeld.countDown();
            await(hold);
        }
    });

    @After
    public void stop() throws Exception {
        engine.close();
        for (ExecutorService e : List.of(closer, events, disk)) {
            e.shutdownNow();
            assertTrue(e.awaitTermination(SECONDS, TimeUnit.SECONDS));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("a latch of the test was never counted down");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A download whose every attempt fails as a network failure does, after telling which thread runs it. */
    private static final class FailingTask implements TransferTask {
        final BlockingQueue<Thread> attempts = new LinkedBlockingQueue<>();

        @Override
        public FileInfo attempt(TransferImpl t) throws IOException {
            attempts.add(Thread.currentThread());
            throw new IOException("connection refused (the test's network is down)");
        }

        @Override
        public void cleanUp(TransferImpl t) {
        }
    }

    /** A download the server refuses for good after some bytes came; counts its clean-ups. */
    private static final class RefusedTask implements TransferTask {
        final AtomicInteger cleanUps = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();

        @Override
        public FileInfo attempt(TransferImpl t) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "the file is gone (the test's server)");
        }

        @Override
        public void cleanUp(TransferImpl t) {
            cleanUps.incrementAndGet();
        }

        @Override
        public void release() {
            releases.incrementAndGet();
        }
    }

    /** A download that completes at once if it is let run. */
    private static final class InstantTask implements TransferTask {
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public FileInfo attempt(TransferImpl t) {
            attempts.incrementAndGet();
            return new FileInfo("f1", "a.bin", "application/octet-stream", 1, "ab".repeat(32));
        }

        @Override
        public void cleanUp(TransferImpl t) {
        }
    }

    private TransferImpl download(String id, TransferTask task) throws Exception {
        TransferRecord r = new TransferRecord(id, Transfer.Direction.DOWNLOAD, "a.bin", null, -1, null, null, 0, null,
                "f1", "/tmp/never-written-" + id, false);
        store.save(r).get(SECONDS, TimeUnit.SECONDS);
        return new TransferImpl(r, engine, events, task);
    }

    /** Waits until the thread waits with a timeout (a transfer's back-off, or awaitTermination in close). */
    private static void awaitTimedWaiting(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                fail(thread.getName() + " never waited: " + thread.getState());
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private TransferState nextState() throws InterruptedException {
        TransferState s = states.poll(SECONDS, TimeUnit.SECONDS);
        assertNotNull("no state change came", s);
        return s;
    }

    private static M800Exception failure(Transfer t) throws Exception {
        try {
            t.result().get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (M800Exception) e.getCause();
        }
        throw new AssertionError("the transfer did not fail");
    }

    @Test
    public void aPauseDuringTheBackOffAfterANetworkFailurePausesTheTransfer() throws Exception {
        FailingTask task = new FailingTask();
        TransferImpl t = download("d1", task);
        engine.enqueue(t);
        assertEquals(TransferState.RUNNING, nextState());
        Thread worker = task.attempts.poll(SECONDS, TimeUnit.SECONDS);
        assertNotNull("no attempt", worker);
        awaitTimedWaiting(worker); // in the back-off before the next attempt
        t.pause();
        assertEquals("the pause in the back-off was lost", TransferState.PAUSED, nextState());
        assertEquals(TransferState.PAUSED, t.state());
        // and it goes on when resumed
        t.resume();
        assertEquals(TransferState.QUEUED, nextState());
        assertEquals(TransferState.RUNNING, nextState());
    }

    @Test
    public void aCloseDuringTheBackOffFailsTheFutureWithClosedAndKeepsTheRecord() throws Exception {
        FailingTask task = new FailingTask();
        TransferImpl t = download("d2", task);
        engine.enqueue(t);
        Thread worker = task.attempts.poll(SECONDS, TimeUnit.SECONDS);
        assertNotNull("no attempt", worker);
        awaitTimedWaiting(worker);
        engine.close();
        assertEquals(ErrorCode.CLOSED, failure(t).code());
        disk.submit(() -> { }).get(SECONDS, TimeUnit.SECONDS);
        assertEquals("the record of a closed transfer must stay for the next client", 1, kept.size());
    }

    @Test
    public void aTransferStartingAsTheEngineClosesIsStoppedNotRunAfterTheClose() throws Exception {
        InstantTask task = new InstantTask();
        TransferImpl t = download("d3", task);
        holdRunning = new CountDownLatch(1);
        engine.enqueue(t);
        await(runningHeld); // the worker took it from the queue and is starting it
        Thread closing = closer.submit(Thread::currentThread).get(SECONDS, TimeUnit.SECONDS);
        var closed = closer.submit(engine::close);
        awaitTimedWaiting(closing); // close() looked for queued and running transfers and waits for the threads
        holdRunning.countDown();
        closed.get(SECONDS, TimeUnit.SECONDS);
        assertEquals("the transfer ran after the engine closed", 0, task.attempts.get());
        assertEquals(ErrorCode.CLOSED, failure(t).code());
        disk.submit(() -> { }).get(SECONDS, TimeUnit.SECONDS);
        assertEquals("the record of a closed transfer must stay for the next client", 1, kept.size());
    }

    @Test
    public void aTransferThatFailsForGoodIsCleanedUpBeforeItsFutureFails() throws Exception {
        RefusedTask task = new RefusedTask();
        TransferImpl t = download("d9", task);
        engine.enqueue(t);
        assertEquals(ErrorCode.NOT_FOUND, failure(t).code());
        // without the clean-up the record went and the partial file stayed, with nothing to resume it
        assertEquals(1, task.cleanUps.get());
        assertEquals(1, task.releases.get());
        disk.submit(() -> { }).get(SECONDS, TimeUnit.SECONDS);
        assertEquals("the record of a failed transfer is deleted", 0, kept.size());
    }
}
