package org.m800.sdk.contacts.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.m800.sdk.core.StorageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the contacts copy to {@code service.storage} a little after it changed, so a burst of changes
 * costs one write, and on the disk executor, since a write forces a file to the disk.
 *
 * <p>Locks: its own monitor guards "changed since the last write" and the scheduled task; {@code writeLock}
 * serialises writes. {@link #changed()} may be called under the {@link ContactBook}'s lock; the snapshot supplier
 * takes the book's lock, so it is called with neither of this class's locks held but {@code writeLock}
 * (the order: write lock, then the book's lock).
 */
final class CopyWriter {

    private static final Logger LOG = LoggerFactory.getLogger(CopyWriter.class);
    private static final long SAVE_DELAY_MS = 50;

    /** What to write: the storage key and the bytes of the copy. */
    record Snapshot(String key, byte[] bytes) {
    }

    private final String clientId;
    private final StorageService storage;
    private final ScheduledExecutorService scheduler;
    private final Executor disk;
    /** The copy to write now, or null when there is none (logged out). */
    private final Supplier<Snapshot> snapshot;
    private final Object writeLock = new Object();
    // guarded by this
    private boolean dirty;
    private ScheduledFuture<?> task;
    private boolean closed;

    CopyWriter(String clientId, StorageService storage, ScheduledExecutorService scheduler, Executor disk,
            Supplier<Snapshot> snapshot) {
        this.clientId = clientId;
        this.storage = storage;
        this.scheduler = scheduler;
        this.disk = disk;
        this.snapshot = snapshot;
    }

    /** The copy changed: it is written in {@value #SAVE_DELAY_MS} ms, with the changes that follow. */
    synchronized void changed() {
        dirty = true;
        if (task == null && !closed) {
            task = scheduler.schedule(this::writeOnDisk, SAVE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void writeOnDisk() {
        try {
            disk.execute(this::flush);
        } catch (RejectedExecutionException e) {
            flush(); // the SDK is stopping: write it here rather than lose it
        }
    }

    /** Writes the copy now if it changed since the last write; on the caller's thread. */
    void flush() {
        synchronized (writeLock) {
            synchronized (this) {
                task = null;
                if (!dirty) {
                    return;
                }
                dirty = false;
            }
            Snapshot s = snapshot.get();
            if (s == null) {
                return;
            }
            try {
                storage.write(s.key(), s.bytes());
            } catch (RuntimeException e) {
                LOG.warn("client {}: cannot store the contacts: {}", clientId, e.toString());
            }
        }
    }

    /**
     * Schedules nothing more, then writes what changed, until nothing did: a change that comes while it
     * writes (an event applied as the manager closes) is written too, where before it only scheduled a
     * write that this method then cancelled.
     */
    void close() {
        synchronized (this) {
            closed = true;
            if (task != null) {
                task.cancel(false);
                task = null;
            }
        }
        while (isDirty()) {
            flush();
        }
    }

    private synchronized boolean isDirty() {
        return dirty;
    }
}
