package org.m800.sdk.core.internal.connect;

import java.net.URI;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.m800.sdk.core.ConnectionFailure;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection-state listeners of one connection service: each change goes to all of them, in
 * order, on the event executor; one that throws is logged and the others still hear it. Thread-safe;
 * the owner calls {@link #changed} under its lock, so changes are queued in the order they happened.
 */
final class StateListeners {

    private static final Logger LOG = LoggerFactory.getLogger(StateListeners.class);

    private final String clientId;
    private final Executor events;
    private final ListenerList<Consumer<ConnectionStateEvent>> listeners;

    StateListeners(String clientId, Executor events) {
        this.clientId = clientId;
        this.events = events;
        this.listeners = new ListenerList<>(events, "connection-state listener of client " + clientId);
    }

    /** Adds a listener, which first hears {@code now} (old state = new state). */
    Subscription add(Consumer<ConnectionStateEvent> listener, ConnectionState now) {
        Subscription subscription = listeners.add(listener);
        ConnectionStateEvent current = new ConnectionStateEvent(now, now, "current state", null);
        events.execute(() -> safely(listener, current));
        return subscription;
    }

    /** Tells every listener of a change. */
    void changed(ConnectionState old, ConnectionState next, String reason, URI server, ConnectionFailure cause) {
        ConnectionStateEvent event = new ConnectionStateEvent(old, next, reason, server, cause);
        listeners.emit(l -> l.accept(event));
    }

    private void safely(Consumer<ConnectionStateEvent> listener, ConnectionStateEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("client {}: a connection-state listener threw", clientId, e);
        }
    }
}
