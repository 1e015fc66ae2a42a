package org.m800.sdk.file.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.TransferState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs transfers: at most N at once on the client's own transfer threads (they time out when idle), the
 * others queued in the order they came. A network failure is retried with an exponential back-off and
 * jitter (250 ms to 30 s) for as long as the transfer is wanted; other failures end it. Closing pauses
 * every transfer without forgetting it: its record stays in the storage for the next client.
 */
final class TransferEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransferEngine.class);
    private static final long MIN_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final long CLOSE_WAIT_MS = 5_000;

    private final TransferStore store;
    private final ThreadPoolExecutor workers;
    private final Map<TransferImpl, Runnable> queued = new ConcurrentHashMap<>();
    private final Map<TransferImpl, Boolean> active = new ConcurrentHashMap<>();
    private final BiConsumer<TransferImpl, TransferState> onState;
    private volatile boolean closed;

    TransferEngine(String clientId, int maxConcurrent, TransferStore store,
            BiConsumer<TransferImpl, TransferState> onState) {
        this.store = store;
        this.onState = onState;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "m800-file-" + clientId + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
    }

    TransferStore store() {
        return store;
    }

    /** @return how many transfers wait for a free thread */
    int queuedCount() {
        return queued.size();
    }

    /** Queues a transfer (state QUEUED). */
    void enqueue(TransferImpl t) {
        if (closed) {
            t.closed();
            return;
        }
        Runnable run = () -> {
            queued.remove(t);
            run(t);
        };
        queued.put(t, run);
        try {
            workers.execute(run);
        } catch (RejectedExecutionException e) {
            queued.remove(t);
            t.closed();
        }
    }

    /** @return whether the transfer was still waiting and no longer is */
    boolean dequeue(TransferImpl t) {
        Runnable run = queued.remove(t);
        return run != null && workers.remove(run);
    }

    void stateChanged(TransferImpl t, TransferState state) {
        onState.accept(t, state);
    }

    private void run(TransferImpl t) {
        // Listed as active before it starts: close() either finds it there (and stops it) or its closed
        // flag is seen here. Listed after start(), a transfer that left the queue as close() ran was in
        // neither list and ran on after the module closed.
        active.put(t, Boolean.TRUE);
        try {
            if (closed) {
                t.requestClose();
            }
            if (!t.start()) {
                // asked to stop between leaving the queue and starting
                TransferImpl.Stop s = t.stopRequested();
                if (s != null) {
                    stop(t, s);
                }
                return;
            }
            int failures = 0;
            while (true) {
                try {
                    t.checkStop();
                    FileInfo info = t.task().attempt(t);
                    if (t.direction() == org.m800.sdk.file.Transfer.Direction.UPLOAD) {
                        // kept, completed, until whatever waits for it (a share) no longer needs it
                        t.update(t.record().withFile(info.fileId(), info.mimeType(), info.size(), info.sha256()));
                    } else {
                        store.delete(t.id());
                    }
                    t.task().release();
                    t.completed(info);
                    return;
                } catch (TransferImpl.StopException s) {
                    stop(t, s.stop);
                    return;
                } catch (IOException e) {
                    if (t.stopRequested() != null) {
                        stop(t, t.stopRequested());
                        return;
                    }
                    failures++;
                    long delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures - 1, 10));
                    delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
                    LOG.debug("transfer {} ({}): {}; retrying in {} ms", t.id(), t.name(), e.toString(), delay);
                    try {
                        t.backoff(delay);
                    } catch (TransferImpl.StopException s) {
                        // thrown in a catch clause, the sibling clause above does not see it: without this a
                        // pause, cancel or close during the back-off killed the worker and the transfer
                        // stayed RUNNING with its future never completed
                        stop(t, s.stop);
                        return;
                    }
                } catch (M800Exception e) {
                    if (t.stopRequested() != null) {
                        stop(t, t.stopRequested());
                        return;
                    }
                    end(t, e);
                    return;
                } catch (RuntimeException e) {
                    if (t.stopRequested() != null) {
                        stop(t, t.stopRequested());
                        return;
                    }
                    LOG.warn("transfer {} ({}) failed unexpectedly", t.id(), t.name(), e);
                    end(t, new M800Exception(ErrorCode.ILLEGAL_STATE, "the transfer of '" + t.name()
                            + "' failed: " + e, e));
                    return;
                }
            }
        } finally {
            active.remove(t);
        }
    }

    private void stop(TransferImpl t, TransferImpl.Stop s) {
        if (s == TransferImpl.Stop.CANCEL || s == TransferImpl.Stop.CLOSE) {
            if (s == TransferImpl.Stop.CLOSE) {
                t.task().release();
            }
        }
        t.stopped(s);
    }

    /**
     * Ends a transfer that failed for good. Its record goes, so nothing would ever resume what it left (a
     * download's partial file, an upload on the server): that is deleted too, before the future fails.
     */
    private void end(TransferImpl t, M800Exception e) {
        store.delete(t.id());
        try {
            t.task().cleanUp(t);
        } catch (RuntimeException x) {
            LOG.debug("transfer {} ({}): cleaning up after its failure failed", t.id(), t.name(), x);
        } finally {
            t.task().release();
        }
        t.failed(e);
    }

    /** Cancels for good: fails the future now, deletes the bytes and the record in the background. */
    void cleanUpCancelled(TransferImpl t) {
        t.markCancelled();
        store.delete(t.id());
        Runnable clean = () -> {
            try {
                t.task().cleanUp(t);
            } finally {
                t.task().release();
            }
        };
        try {
            if (closed) {
                t.task().release();
            } else {
                workers.execute(clean);
            }
        } catch (RejectedExecutionException e) {
            t.task().release();
        }
    }

    /** @return the transfers running now */
    List<TransferImpl> running() {
        return new ArrayList<>(active.keySet());
    }

    /**
     * Stops every transfer (running ones abort their request; their records stay), waits a little for
     * the threads, and fails the futures with FEATURE_UNAVAILABLE.
     */
    @Override
    public void close() {
        closed = true;
        List<TransferImpl> waiting = new ArrayList<>(queued.keySet());
        queued.clear();
        workers.getQueue().clear();
        for (TransferImpl t : waiting) {
            t.requestClose();
            t.closed();
        }
        for (TransferImpl t : running()) {
            t.requestClose();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("transfer threads still busy {} ms after close", CLOSE_WAIT_MS);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
