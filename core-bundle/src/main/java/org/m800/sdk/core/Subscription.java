package org.m800.sdk.core;

/**
 * A handle on a registered listener. Closing it unsubscribes the listener; closing it again does
 * nothing. An event that was already queued for the listener may still reach it while
 * {@link #close()} runs on another thread, but none arrives after {@code close()} returned on the
 * listener's own delivery thread.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Unsubscribes. Idempotent, never throws. */
    @Override
    void close();
}
