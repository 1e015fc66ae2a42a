package org.m800.sdk.itest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Subscription;

/**
 * Records every event of one client, in the order it was delivered, and lets a test wait (with a
 * timeout) for an event after a mark. Close it in {@code finally}: that unsubscribes every listener.
 */
public final class Events implements AutoCloseable {

    /** One delivered event. */
    public record Entry(ClientEvent<?> event, Object payload, String thread) {
        @Override
        public String toString() {
            return event + "(" + (payload instanceof Client c ? "client " + c.id() : payload) + ")";
        }
    }

    private final Object lock = new Object();
    private final List<Entry> entries = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();

    /** Subscribes to READY, FEATURE_READY, FEATURE_UNAVAILABLE and ERROR of the client. */
    public Events(Client client) {
        try {
            subscriptions.add(client.on(ClientEvent.READY, c -> add(ClientEvent.READY, c)));
            subscriptions.add(client.on(ClientEvent.FEATURE_READY, n -> add(ClientEvent.FEATURE_READY, n)));
            subscriptions.add(client.on(ClientEvent.FEATURE_UNAVAILABLE, n -> add(ClientEvent.FEATURE_UNAVAILABLE, n)));
            subscriptions.add(client.on(ClientEvent.ERROR, e -> add(ClientEvent.ERROR, e)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void add(ClientEvent<?> event, Object payload) {
        synchronized (lock) {
            entries.add(new Entry(event, payload, Thread.currentThread().getName()));
            lock.notifyAll();
        }
    }

    /** @return how many events were recorded so far: a mark for {@link #await} */
    public int mark() {
        synchronized (lock) {
            return entries.size();
        }
    }

    /** @return a copy of what was recorded */
    public List<Entry> all() {
        synchronized (lock) {
            return List.copyOf(entries);
        }
    }

    /** @return what was recorded from the mark on */
    public List<Entry> since(int mark) {
        synchronized (lock) {
            return List.copyOf(entries.subList(Math.min(mark, entries.size()), entries.size()));
        }
    }

    /**
     * Waits for the first event at or after {@code mark} that is of the given kind and whose payload
     * matches.
     *
     * @throws AssertionError naming what was recorded if none comes within {@code seconds}
     */
    @SuppressWarnings("unchecked")
    public <T> T awaitMatching(int mark, ClientEvent<T> event, Predicate<? super T> matches, long seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (lock) {
            int index = mark;
            while (true) {
                for (; index < entries.size(); index++) {
                    Entry e = entries.get(index);
                    if (e.event() == event && matches.test((T) e.payload())) {
                        return (T) e.payload();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + event + " matching the expectation within " + seconds
                            + " s; events since the mark: " + entries.subList(Math.min(mark, entries.size()), entries.size()));
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /** Waits for {@code event(payload)} at or after {@code mark}. */
    public <T> T await(int mark, ClientEvent<T> event, T payload, long seconds) throws InterruptedException {
        return awaitMatching(mark, event, p -> p.equals(payload), seconds);
    }

    /** Waits for an ERROR event with that code at or after {@code mark}. */
    public M800Exception awaitError(int mark, org.m800.sdk.core.ErrorCode code, long seconds) throws InterruptedException {
        return awaitMatching(mark, ClientEvent.ERROR, e -> e.code() == code, seconds);
    }

    /** @return how many events of that kind and payload were recorded at or after the mark */
    public long count(int mark, ClientEvent<?> event, Object payload) {
        return since(mark).stream().filter(e -> e.event() == event && (payload == null || payload.equals(e.payload())))
                .count();
    }

    @Override
    public void close() {
        for (Subscription s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
    }

    @Override
    public String toString() {
        return "Events" + all();
    }
}
