package org.m800.sdk.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one kind of a feature manager, and how events reach them.
 *
 * <p>Contract:
 * <ul>
 * <li>{@link #emit} queues one delivery on the executor given at construction (for a
 * {@link FeatureManager}, the client's {@linkplain ModuleContext#eventExecutor() event executor}) and
 * returns at once; it never calls a listener on the caller's thread, so it may be called while the
 * caller holds a lock (that is how events keep the order of the changes they describe).</li>
 * <li>An event goes to the listeners registered when {@code emit} was called, in the order they were
 * added, minus those whose {@link Subscription} was closed before the delivery ran. A listener
 * therefore receives every event emitted after {@link #add} returned and none emitted before it was
 * called.</li>
 * <li>A listener that throws is logged (with the list's name) and the others still get the event.</li>
 * <li>{@link #clear()} (which the owning manager calls when it closes) ends the list: later
 * {@code emit}s reach no one and {@code add} returns a subscription that was never registered. Events
 * emitted <em>before</em> it are still delivered, to the listeners they were emitted to (unless their
 * subscription was closed), so a manager's last events, such as a call's {@code ended} when the call
 * feature stops, are not lost when the event threads are behind.</li>
 * </ul>
 * Thread-safe.
 *
 * @param <L> the listener interface
 * @since 1.2
 */
public final class ListenerList<L> {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerList.class);

    private final Executor executor;
    private final String name;
    private final CopyOnWriteArrayList<Entry<L>> entries = new CopyOnWriteArrayList<>();
    private volatile boolean cleared;

    /**
     * @param executor where deliveries run; should run tasks one at a time in submission order (as the
     *        client's event executor does), else events of one list may overtake each other
     * @param name names the list in log lines, such as {@code "chat listener of client alice"}
     */
    public ListenerList(Executor executor, String name) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Registers a listener; the same instance added twice is called twice.
     *
     * @param listener the listener, not {@code null}
     * @return the handle that removes it (idempotent)
     * @throws M800Exception {@link ErrorCode#INVALID_ARGUMENT} if the listener is {@code null}; this is
     *         a synchronous call, so it throws rather than failing a future
     */
    public Subscription add(L listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument(name + " must not be null");
        }
        Entry<L> entry = new Entry<>(listener);
        if (cleared) {
            return () -> { };
        }
        entries.add(entry);
        return () -> {
            entry.removed = true;
            entries.remove(entry);
        };
    }

    /**
     * Delivers an event to the current listeners, later, on the executor.
     *
     * @param event calls one listener, such as {@code l -> l.messageReceived(m)}; not {@code null}
     */
    public void emit(Consumer<? super L> event) {
        Objects.requireNonNull(event, "event");
        if (cleared || entries.isEmpty()) {
            return;
        }
        Object[] snapshot = entries.toArray();
        try {
            executor.execute(() -> deliver(snapshot, event));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: the SDK's event threads are stopped; an event is dropped", name);
        }
    }

    @SuppressWarnings("unchecked")
    private void deliver(Object[] snapshot, Consumer<? super L> event) {
        for (Object o : snapshot) {
            Entry<L> entry = (Entry<L>) o;
            if (entry.removed) {
                continue;
            }
            try {
                event.accept(entry.listener);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("{} {} threw; the other listeners still get the event", name, entry.listener, e);
            }
        }
    }

    /** @return whether no listener is registered */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** @return the registered listeners, in the order they were added */
    public List<L> listeners() {
        return entries.stream().map(e -> e.listener).toList();
    }

    /**
     * Ends the list for good: later emits reach no one and later adds register nothing. Deliveries
     * already queued still run, so nothing emitted before the close is lost.
     */
    public void clear() {
        cleared = true;
        entries.clear();
    }

    private static final class Entry<L> {
        final L listener;
        volatile boolean removed;

        Entry(L listener) {
            this.listener = listener;
        }
    }
}
