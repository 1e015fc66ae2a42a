package org.m800.sdk.file.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.Transfer;
import org.m800.sdk.file.TransferProgress;
import org.m800.sdk.file.TransferState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transfer's handle and state machine. The bytes are moved by a {@link TransferTask} on a thread of
 * the {@link TransferEngine}; this class keeps the state, the progress, the listeners, and the stop
 * requests (pause, cancel, close) that the task polls and that abort its request in flight.
 */
final class TransferImpl implements Transfer {

    private static final Logger LOG = LoggerFactory.getLogger(TransferImpl.class);
    private static final long PROGRESS_EVERY_NANOS = 100_000_000L;

    /** Why a running task must stop. */
    enum Stop {
        PAUSE, CANCEL, CLOSE
    }

    /** Thrown inside a task when a stop was requested. */
    static final class StopException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Stop stop;

        StopException(Stop stop) {
            super("transfer " + stop.name().toLowerCase(java.util.Locale.ROOT), null, false, false);
            this.stop = stop;
        }
    }

    private final Object lock = new Object();
    private final TransferEngine engine;
    private final Executor events;
    private final CompletableFuture<FileInfo> result = new CompletableFuture<>();
    private final List<Consumer<TransferProgress>> progressListeners = new CopyOnWriteArrayList<>();
    private final ProgressMeter meter = new ProgressMeter();
    final FileHttp.Abort abort = new FileHttp.Abort();
    private final TransferTask task;

    private TransferRecord record;
    private TransferState state;
    private Stop stop;
    private long bytesDone;
    private long lastProgressNanos;

    TransferImpl(TransferRecord record, TransferEngine engine, Executor events, TransferTask task) {
        this.record = record;
        this.engine = engine;
        this.events = events;
        this.task = task;
        this.state = record.paused() ? TransferState.PAUSED : TransferState.QUEUED;
    }

    /** A transfer that failed before it began (bad input). */
    static TransferImpl failed(TransferRecord record, TransferEngine engine, Executor events, M800Exception e) {
        TransferImpl t = new TransferImpl(record, engine, events, null);
        t.state = TransferState.FAILED;
        events.execute(() -> t.result.completeExceptionally(e));
        return t;
    }

    TransferRecord record() {
        synchronized (lock) {
            return record;
        }
    }

    /**
     * Replaces the kept record (with the paused flag it has now: the task's copy may predate a pause)
     * and writes it; the future completes when it is on the disk.
     */
    CompletableFuture<Void> update(TransferRecord next) {
        TransferRecord kept;
        synchronized (lock) {
            kept = next.paused() == record.paused() ? next : next.withPaused(record.paused());
            record = kept;
        }
        return engine.store().save(kept);
    }

    TransferTask task() {
        return task;
    }

    // ------------------------------------------------------------------ the API

    @Override
    public String id() {
        return record().id();
    }

    @Override
    public Direction direction() {
        return record().direction();
    }

    @Override
    public String name() {
        return record().name();
    }

    @Override
    public Optional<Path> localFile() {
        TransferRecord r = record();
        String p = r.direction() == Direction.UPLOAD ? r.source() : r.target();
        return Optional.ofNullable(p).map(Path::of);
    }

    @Override
    public Optional<String> fileId() {
        TransferRecord r = record();
        return Optional.ofNullable(r.fileId() != null ? r.fileId() : r.uploadId());
    }

    @Override
    public TransferState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public TransferProgress progress() {
        synchronized (lock) {
            return meter.progress(bytesDone, record.size(), state == TransferState.RUNNING);
        }
    }

    @Override
    public Subscription onProgress(Consumer<TransferProgress> listener) {
        if (listener == null) {
            return () -> {
            };
        }
        progressListeners.add(listener);
        TransferProgress now = progress();
        events.execute(() -> call(listener, now));
        return () -> progressListeners.remove(listener);
    }

    @Override
    public void pause() {
        boolean dequeued = false;
        synchronized (lock) {
            if (state.isFinal() || state == TransferState.PAUSED || stop != null) {
                return;
            }
            record = record.withPaused(true);
            if (state == TransferState.QUEUED) {
                dequeued = engine.dequeue(this);
                if (dequeued) {
                    state = TransferState.PAUSED;
                }
            }
            if (!dequeued) {
                stop = Stop.PAUSE;
                lock.notifyAll();
            }
        }
        engine.store().save(record());
        if (dequeued) {
            engine.stateChanged(this, TransferState.PAUSED);
        } else {
            abort.abort(new StopException(Stop.PAUSE));
        }
    }

    @Override
    public void resume() {
        synchronized (lock) {
            if (state != TransferState.PAUSED) {
                return;
            }
            record = record.withPaused(false);
            state = TransferState.QUEUED;
        }
        engine.store().save(record());
        engine.stateChanged(this, TransferState.QUEUED);
        engine.enqueue(this);
    }

    @Override
    public void cancel() {
        boolean running;
        synchronized (lock) {
            if (state.isFinal() || stop == Stop.CANCEL) {
                return;
            }
            running = state == TransferState.RUNNING || (state == TransferState.QUEUED && !engine.dequeue(this));
            if (running) {
                stop = Stop.CANCEL;
                lock.notifyAll();
            }
        }
        if (running) {
            abort.abort(new StopException(Stop.CANCEL));
        } else {
            engine.cleanUpCancelled(this);
        }
    }

    @Override
    public CompletableFuture<FileInfo> result() {
        return result;
    }

    // ------------------------------------------------------------------ for the engine and the task

    /** The engine's worker starts the task; false if it must not run (stopped meanwhile). */
    boolean start() {
        synchronized (lock) {
            if (state != TransferState.QUEUED) {
                return false;
            }
            if (stop != null) {
                return false;
            }
            state = TransferState.RUNNING;
            meter.reset();
        }
        abort.reset();
        engine.stateChanged(this, TransferState.RUNNING);
        return true;
    }

    /** @throws StopException if a stop was requested */
    void checkStop() {
        Stop s;
        synchronized (lock) {
            s = stop;
        }
        if (s != null) {
            throw new StopException(s);
        }
    }

    /** @return the stop requested, or null */
    Stop stopRequested() {
        synchronized (lock) {
            return stop;
        }
    }

    /** Waits up to {@code millis}, or until a stop is requested. @throws StopException on a stop */
    void backoff(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        synchronized (lock) {
            while (stop == null) {
                long left = (end - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop = Stop.CLOSE;
                }
            }
        }
        checkStop();
    }

    /** The bytes done moved (to {@code done}); tells the listeners at most every 100 ms. */
    void progressed(long done) {
        TransferProgress p;
        synchronized (lock) {
            bytesDone = done;
            long now = System.nanoTime();
            meter.sample(now, done);
            if (now - lastProgressNanos < PROGRESS_EVERY_NANOS && done != record.size()) {
                return;
            }
            lastProgressNanos = now;
            p = meter.progress(done, record.size(), true);
        }
        publish(p);
    }

    /** The offset went back or forth outside of a transfer of bytes (resume from the server's offset). */
    void offsetKnown(long done) {
        synchronized (lock) {
            bytesDone = done;
            meter.reset();
        }
    }

    /** The task finished: the file is complete and verified. */
    void completed(FileInfo info) {
        TransferProgress p;
        synchronized (lock) {
            state = TransferState.COMPLETED;
            bytesDone = info.size();
            p = new TransferProgress(info.size(), info.size(), 0, 0);
        }
        publish(p);
        engine.stateChanged(this, TransferState.COMPLETED);
        events.execute(() -> result.complete(info));
    }

    /** The task failed for good. */
    void failed(M800Exception e) {
        synchronized (lock) {
            if (state.isFinal()) {
                return;
            }
            state = TransferState.FAILED;
        }
        LOG.info("transfer {} ({}) failed: {}", id(), name(), e.getMessage());
        engine.stateChanged(this, TransferState.FAILED);
        events.execute(() -> result.completeExceptionally(e));
    }

    /** The task stopped on request. */
    void stopped(Stop s) {
        switch (s) {
            case PAUSE -> {
                synchronized (lock) {
                    state = TransferState.PAUSED;
                    stop = null;
                    meter.reset();
                }
                publish(progress());
                engine.stateChanged(this, TransferState.PAUSED);
            }
            case CANCEL -> engine.cleanUpCancelled(this);
            case CLOSE -> closed();
        }
    }

    /** Marks the transfer cancelled and fails its future (the engine cleans up the bytes). */
    void markCancelled() {
        synchronized (lock) {
            if (state.isFinal()) {
                return;
            }
            state = TransferState.CANCELLED;
            stop = null;
        }
        engine.stateChanged(this, TransferState.CANCELLED);
        events.execute(() -> result.completeExceptionally(new M800Exception(ErrorCode.ILLEGAL_STATE,
                "the transfer of '" + name() + "' was cancelled")));
    }

    /** Asks a running task to stop because the module closes. */
    void requestClose() {
        synchronized (lock) {
            if (state.isFinal()) {
                return;
            }
            if (stop == null) {
                stop = Stop.CLOSE;
            }
            lock.notifyAll();
        }
        abort.abort(new StopException(Stop.CLOSE));
    }

    /** The module closed: the future fails; the kept record lets a later client go on. */
    void closed() {
        synchronized (lock) {
            if (state.isFinal()) {
                return;
            }
            stop = Stop.CLOSE;
        }
        M800Exception e = new M800Exception(ErrorCode.CLOSED, "the file feature of this client closed"
                + " while '" + name() + "' was being transferred; a client opened again on the same data directory"
                + " goes on with it (transfer " + id() + ")");
        // the event threads may already refuse work when the whole SDK stops: complete here then
        try {
            events.execute(() -> result.completeExceptionally(e));
        } catch (RuntimeException rejected) {
            result.completeExceptionally(e);
        }
    }

    private void publish(TransferProgress p) {
        if (progressListeners.isEmpty()) {
            return;
        }
        try {
            events.execute(() -> progressListeners.forEach(l -> call(l, p)));
        } catch (RuntimeException rejected) {
            LOG.debug("progress of {} not delivered: {}", id(), rejected.toString());
        }
    }

    private void call(Consumer<TransferProgress> l, TransferProgress p) {
        try {
            l.accept(p);
        } catch (RuntimeException e) {
            LOG.warn("a progress listener of transfer {} threw", id(), e);
        }
    }

    @Override
    public String toString() {
        return "Transfer[" + id() + " " + direction() + " '" + name() + "' " + state() + " " + progress() + "]";
    }
}
