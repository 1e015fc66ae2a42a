package org.m800.sdk.core;

/**
 * Receives the payload of one kind of {@link ClientEvent}.
 *
 * <p>Rules for listeners: be quick, do not block, do not throw. Listeners of one client are called
 * one at a time, in the order the events happened, on SDK-owned threads that all clients share;
 * never on an I/O or framework thread and never while the SDK holds a lock, so a listener may call
 * back into the client. A listener that throws is logged and the other listeners still run.
 *
 * @param <T> the payload type of the event
 */
@FunctionalInterface
public interface ClientListener<T> {

    /** @param payload the event's payload, never {@code null} */
    void on(T payload);
}
