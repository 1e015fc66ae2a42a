package org.m800.server.internal.events;

/** A live receiver of a user's events (a WebSocket connection). Must not block and must not throw. */
public interface EventSink {
    /**
     * @param event the event, delivered in ascending seq order without gaps
     * @param replay whether it is part of the replay after a hello (not subject to slow-consumer limits)
     */
    void deliver(Event event, boolean replay);

    /**
     * A live event that a request of this very receiver caused (see {@link EventLog#beginOrigin}); by
     * default delivered as any other.
     */
    default void deliverOwn(Event event) {
        deliver(event, false);
    }
}
