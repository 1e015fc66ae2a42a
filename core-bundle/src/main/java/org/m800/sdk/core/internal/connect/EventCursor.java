package org.m800.sdk.core.internal.connect;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.core.internal.storage.DiskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a connection service is in the user's event stream: the events it received and delivered
 * (each once, in {@code seq} order, to the event listeners), and the cursor it keeps in storage so a
 * reconnect or a new client resumes after the last delivered event.
 *
 * <p>The cursor is read and written only on the disk executor, never under the owner's lock nor on
 * an event thread: {@link #select} starts the read and {@link #loaded()} says when it is done (the
 * hello, which tells the server where to resume, waits for it). Fields marked "lock" are guarded by
 * the owner's lock.
 */
final class EventCursor {

    private static final Logger LOG = LoggerFactory.getLogger(EventCursor.class);
    /** How long delivered events gather before the cursor is written and acknowledged. */
    private static final long WRITE_DELAY_MS = 20;

    private final Object lock;
    private final String clientId;
    private final StorageService storage;
    private final Executor disk;
    private final Executor events;
    private final ScheduledExecutorService scheduler;
    private final Consumer<M800Exception> errors;
    /** Sends the ack of a stored seq on the current connection, if it is authenticated. */
    private final LongConsumer ack;
    private final List<Consumer<ServerEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> missedListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean writeQueued = new AtomicBoolean();

    // lock
    private String key;
    private CompletableFuture<Void> loaded = CompletableFuture.completedFuture(null);
    private boolean keyLoaded;
    private volatile long lastReceived; // written under the lock; volatile so no read sees half a long
    private ScheduledFuture<?> write;
    private volatile long lastDelivered;

    EventCursor(Object lock, String clientId, StorageService storage, Executor disk, Executor events,
            ScheduledExecutorService scheduler, Consumer<M800Exception> errors, LongConsumer ack) {
        this.lock = lock;
        this.clientId = clientId;
        this.storage = storage;
        this.disk = disk;
        this.events = events;
        this.scheduler = scheduler;
        this.errors = errors;
        this.ack = ack;
    }

    Subscription addListener(Consumer<ServerEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    Subscription addMissedListener(Runnable listener) {
        missedListeners.add(listener);
        return () -> missedListeners.remove(listener);
    }

    /**
     * The hello answer said events after the resume point are gone: tells the listeners on the event
     * executor, so after the events delivered before and before the ones that follow. Lock held.
     */
    void eventsMissed() {
        LOG.info("client {}: the server's event log no longer has every event after seq {}", clientId, lastReceived);
        events.execute(() -> {
            for (Runnable l : missedListeners) {
                try {
                    l.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("client {}: a listener of missed events threw", clientId, e);
                }
            }
        });
    }

    /** @return the seq of the last event delivered to the listeners */
    long lastDelivered() {
        return lastDelivered;
    }

    /**
     * Uses the cursor stored under {@code storageKey} (one per user): when it is another than the
     * current one, starts reading it on the disk executor. Lock held.
     */
    void select(String storageKey) {
        if (storageKey.equals(key)) {
            return;
        }
        key = storageKey;
        keyLoaded = false;
        try {
            loaded = CompletableFuture.runAsync(() -> load(storageKey), disk);
        } catch (RejectedExecutionException e) {
            // the SDK is stopping: resume from the start rather than not at all
            apply(storageKey, 0);
            loaded = CompletableFuture.completedFuture(null);
        }
    }

    /** @return completes (never fails) once the selected cursor is read. Lock held. */
    CompletableFuture<Void> loaded() {
        return loaded;
    }

    /** @return the seq to resume after in the hello, 0 for the start. Lock held. */
    long resumeFrom() {
        return lastReceived;
    }

    private void load(String storageKey) {
        long seq = 0;
        try {
            seq = storage.read(storageKey).map(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII)))
                    .orElse(0L);
        } catch (RuntimeException e) {
            // resuming from the start repeats events, which the managers de-duplicate; losing them they cannot
            errors.accept(new M800Exception(ErrorCode.ILLEGAL_STATE, "client " + clientId
                    + ": the stored event cursor cannot be read; events are fetched again from the start: " + e, e));
        }
        synchronized (lock) {
            apply(storageKey, seq);
        }
    }

    private void apply(String storageKey, long seq) {
        if (storageKey.equals(key)) {
            lastReceived = seq;
            lastDelivered = seq;
            keyLoaded = true;
        }
    }

    /**
     * An event arrived on the current connection: hands it to the listeners on the event executor
     * unless it was received before. Lock held.
     *
     * @param ownEventsWithheld whether the connection speaks version 2, where seqs may skip (not a gap)
     */
    void received(ServerEvent event, boolean ownEventsWithheld) {
        long seq = event.seq();
        if (seq <= lastReceived) {
            return;
        }
        // in version 2 the seqs of the user's own messages are skipped on the connection that sent them
        if (lastReceived > 0 && seq != lastReceived + 1 && !ownEventsWithheld) {
            LOG.warn("client {}: event seq jumped from {} to {}", clientId, lastReceived, seq);
        }
        lastReceived = seq;
        events.execute(() -> deliver(event));
    }

    /** On the event executor: listeners, then a coalesced cursor write and ack. */
    private void deliver(ServerEvent event) {
        for (Consumer<ServerEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("client {}: an event listener threw on {} #{}", clientId, event.type(), event.seq(), e);
            }
        }
        lastDelivered = event.seq();
        if (writeQueued.compareAndSet(false, true)) {
            // a short wait gathers the events that follow into the same write: each write is an fsync,
            // which also stalls the other writes of the file system while it runs
            ScheduledFuture<?> next = scheduler.schedule(() -> DiskQueue.submit(disk, this::persistAndAck),
                    WRITE_DELAY_MS, TimeUnit.MILLISECONDS);
            synchronized (lock) {
                write = next;
            }
        }
    }

    /**
     * On the disk thread: stores the cursor, then acknowledges it, so the server never holds an ack the
     * client could lose. A burst of events costs one write: the newest cursor is read when the write runs.
     */
    private void persistAndAck() {
        writeQueued.set(false);
        long seq = lastDelivered;
        String storageKey;
        synchronized (lock) {
            // a cursor not read yet is not overwritten with the 0 that stands in for it
            storageKey = keyLoaded ? key : null;
        }
        if (storageKey != null) {
            try {
                storage.write(storageKey, Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
            } catch (M800Exception e) {
                errors.accept(e);
                return;
            }
        }
        ack.accept(seq);
    }

    /**
     * Stores the last delivered cursor before returning (at most {@code timeoutSeconds}), so a new client
     * on the same data resumes after it. Call without the lock, after the owner is closed.
     */
    void flush(long timeoutSeconds) {
        synchronized (lock) {
            RequestQueue.cancel(write);
        }
        try {
            DiskQueue.submit(disk, this::persistAndAck).get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("client {}: could not store the event cursor on close: {}", clientId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
