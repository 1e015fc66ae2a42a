package org.m800.sdk.itest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Records what a listener of the SDK receives (connection states, server events, profiles), with the
 * thread it arrived on, and lets a test wait with a timeout for a value after a mark. Use it as the
 * listener ({@code connect.onStateChange(recorder)}) and close the subscription after the test.
 *
 * @param <T> what is recorded; {@code null} is recorded as well (a profile listener hears null at log-out)
 */
public final class Recorder<T> implements Consumer<T> {

    /** One value and the name of the thread that delivered it. */
    public record Entry<T>(T value, String thread) {
    }

    private final String what;
    private final List<Entry<T>> entries = new ArrayList<>();

    /** @param what names what is recorded, for failure messages */
    public Recorder(String what) {
        this.what = what;
    }

    @Override
    public void accept(T value) {
        synchronized (entries) {
            entries.add(new Entry<>(value, Thread.currentThread().getName()));
            entries.notifyAll();
        }
    }

    /** @return how many values were recorded so far: a mark for {@link #await} */
    public int mark() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** @return the entries from the mark on */
    public List<Entry<T>> since(int mark) {
        synchronized (entries) {
            return List.copyOf(entries.subList(Math.min(mark, entries.size()), entries.size()));
        }
    }

    /** @return the values from the mark on (nulls included) */
    public List<T> valuesSince(int mark) {
        List<T> values = new ArrayList<>();
        since(mark).forEach(e -> values.add(e.value()));
        return values;
    }

    /**
     * Waits for the first value at or after {@code mark} that matches.
     *
     * @param expectation says what is awaited, for the failure message
     * @throws AssertionError naming what was recorded if none matches within {@code seconds}
     */
    public Entry<T> await(int mark, String expectation, Predicate<? super T> matches, long seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (entries) {
            int index = mark;
            while (true) {
                for (; index < entries.size(); index++) {
                    if (matches.test(entries.get(index).value())) {
                        return entries.get(index);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " " + expectation + " within " + seconds
                            + " s; recorded since the mark: " + valuesSince(mark));
                }
                TimeUnit.NANOSECONDS.timedWait(entries, left);
            }
        }
    }
}
