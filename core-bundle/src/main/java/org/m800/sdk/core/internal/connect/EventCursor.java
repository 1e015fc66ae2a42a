package org.m800.sdk.core.internal.connect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
import org.m800.sdk.core.internal.wire.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a connection service is in the user's event stream: the events it received and delivered
 * (each once, in {@code seq} order, to the event listeners), and the cursor it keeps in storage so a
 * reconnect or a new client resumes after the last delivered event.
 *
 * <p><b>Runs.</b> The events that arrived while the event thread was busy are delivered together, as
 * one run of at most {@value #MAX_RUN}, inside the {@linkplain #addRunWrapper run wrappers} (a store
 * writes the changes of a whole run at once); the cursor moves past a run, and is stored and
 * acknowledged, only after the wrappers returned, so an acknowledged event is stored.
 *
 * <p><b>Own events withheld (protocol version 2).</b> The connection that sent a message does not get
 * its {@code chat.message} event; the answer names its seq ({@code eventSeq}, docs/protocol.md 7.7),
 * given to {@link #withheld}. The cursor moves past such a seq only once every seq below it was
 * received or withheld too: the seqs of one user have no gaps, and a connection gets its events in
 * {@code seq} order, so an event received means that every seq below it that is not withheld was
 * received; a withheld seq above the cursor waits in a set until the seqs below it are covered. So a
 * sender that reconnects is not sent its own messages again, and no event of another device is
 * skipped.
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
    /** Events delivered in one run at most; the event thread is then given to the other clients. */
    static final int MAX_RUN = 256;
    /** Own withheld seqs kept above the cursor at most (more only means some are sent again). */
    private static final int MAX_WITHHELD = 4_096;

    /** An entry of the delivery queue: an event, a withheld seq the cursor passes, or "events were missed". */
    private record Item(ServerEvent event, long passTo, boolean missed) {
    }

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
    private final List<Consumer<Runnable>> runWrappers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean writeQueued = new AtomicBoolean();

    // lock
    private String key;
    private CompletableFuture<Void> loaded = CompletableFuture.completedFuture(null);
    private boolean keyLoaded;
    private volatile long lastReceived; // written under the lock; volatile so no read sees half a long
    private ScheduledFuture<?> write;
    private volatile long lastDelivered;
    /** What the event thread has to deliver, in order; drained by one task at a time ({@code draining}). */
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private boolean draining;
    /** Own seqs withheld from this connection, above {@code lastReceived}. */
    private final TreeSet<Long> withheldAhead = new TreeSet<>();

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
     * Adds a wrapper around each run of events (ConnectService#aroundEventRuns): called on the event
     * thread with the task that delivers the run; the first added is the outermost.
     */
    Subscription addRunWrapper(Consumer<Runnable> wrapper) {
        runWrappers.add(wrapper);
        return () -> runWrappers.remove(wrapper);
    }

    /**
     * The hello answer said events after the resume point are gone: tells the listeners on the event
     * executor, so after the events delivered before and before the ones that follow. Lock held.
     */
    void eventsMissed() {
        LOG.info("client {}: the server's event log no longer has every event after seq {}", clientId, lastReceived);
        enqueue(new Item(null, 0, true));
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
            withheldAhead.clear();
            keyLoaded = true;
        }
    }

    /**
     * An event arrived on the current connection: queued for the listeners unless it was received
     * before. Lock held.
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
        withheldAhead.headSet(seq, true).clear();
        enqueue(new Item(event, 0, false));
        passWithheld();
    }

    /**
     * An answer arrived on the current connection: on version 2 the answer to {@code chat.send} names
     * the seq of the own {@code chat.message} withheld from this connection (docs/protocol.md 7.7), which
     * the cursor may then pass. Other answers' {@code eventSeq} name events this connection does get.
     * Lock held.
     */
    void answered(String requestType, int version, Map<String, Object> response) {
        if (version >= 2 && "chat.send".equals(requestType)) {
            long own = Json.number(Json.object(response, "data"), "eventSeq", 0);
            if (own > 0) {
                withheld(own);
            }
        }
    }

    /**
     * The answer to a request of this connection names the seq of an own event the server withheld from
     * it (a {@code chat.message} of a {@code chat.send}, protocol version 2): the cursor moves past it
     * once every seq below it was received or withheld. Lock held.
     */
    void withheld(long eventSeq) {
        if (eventSeq <= lastReceived) {
            return;
        }
        withheldAhead.add(eventSeq);
        if (withheldAhead.size() > MAX_WITHHELD) {
            withheldAhead.pollLast(); // forgetting one only means it is sent again after a reconnect
        }
        passWithheld();
    }

    /** Moves the cursor over the withheld seqs that continue it. Lock held. */
    private void passWithheld() {
        long from = lastReceived;
        while (!withheldAhead.isEmpty() && withheldAhead.first() == lastReceived + 1) {
            lastReceived = withheldAhead.pollFirst();
        }
        if (lastReceived > from) {
            enqueue(new Item(null, lastReceived, false));
        }
    }

    /** Queues an item and starts a drain on the event executor unless one runs. Lock held. */
    private void enqueue(Item item) {
        queue.add(item);
        if (!draining) {
            draining = true;
            events.execute(this::drain);
        }
    }

    /**
     * On the event executor: delivers one run of what is queued inside the wrappers, then moves the
     * delivered cursor and schedules its write and ack; goes on in another task while more is queued.
     */
    private void drain() {
        List<Item> run = new ArrayList<>();
        synchronized (lock) {
            while (run.size() < MAX_RUN && !queue.isEmpty()) {
                run.add(queue.poll());
            }
            if (run.isEmpty()) {
                draining = false;
                return;
            }
        }
        long upTo = deliverRun(run);
        if (upTo > lastDelivered) {
            lastDelivered = upTo;
            scheduleWrite();
        }
        synchronized (lock) {
            if (queue.isEmpty()) {
                draining = false;
                return;
            }
        }
        events.execute(this::drain);
    }

    /** @return the seq the run takes the cursor to (0: none) */
    private long deliverRun(List<Item> run) {
        boolean[] ran = new boolean[1];
        long[] upTo = new long[1];
        Runnable deliver = () -> {
            if (ran[0]) {
                return;
            }
            ran[0] = true;
            for (Item item : run) {
                if (item.event() != null) {
                    deliver(item.event());
                    upTo[0] = Math.max(upTo[0], item.event().seq());
                } else if (item.missed()) {
                    tellMissed();
                } else {
                    upTo[0] = Math.max(upTo[0], item.passTo());
                }
            }
        };
        Runnable wrapped = deliver;
        for (int i = runWrappers.size() - 1; i >= 0; i--) {
            Consumer<Runnable> wrapper = runWrappers.get(i);
            Runnable inner = wrapped;
            wrapped = () -> wrapper.accept(inner);
        }
        try {
            wrapped.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("client {}: a wrapper of event runs threw", clientId, e);
        }
        if (!ran[0]) {
            LOG.warn("client {}: a wrapper of event runs did not deliver its run; delivering it now", clientId);
            deliver.run();
        }
        return upTo[0];
    }

    private void deliver(ServerEvent event) {
        for (Consumer<ServerEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("client {}: an event listener threw on {} #{}", clientId, event.type(), event.seq(), e);
            }
        }
    }

    private void tellMissed() {
        for (Runnable l : missedListeners) {
            try {
                l.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("client {}: a listener of missed events threw", clientId, e);
            }
        }
    }

    /** A coalesced cursor write and ack, after the delivered cursor moved. */
    private void scheduleWrite() {
        if (writeQueued.compareAndSet(false, true)) {
            // a short wait gathers the runs that follow into the same write: each write is an fsync,
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
