package org.m800.sdk.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientListener;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one client's events to its listeners, in order, on the shared event threads. Everything
 * that touches the listener lists or the delivered state runs on the client's {@link SerialExecutor},
 * so no lock is held while a listener runs, and a new listener's catch-up replay sits exactly between
 * the events before and after it subscribed.
 */
final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final Client client;
    private final SerialExecutor serial;
    private final Readiness readiness;
    private final Map<ClientEvent<?>, List<Entry<?>>> listeners = new HashMap<>();
    private final Set<String> deliveredReadyFeatures = new LinkedHashSet<>();
    private boolean deliveredReady;
    private boolean closed;

    EventBus(Client client, SerialExecutor serial, Readiness readiness) {
        this.client = client;
        this.serial = serial;
        this.readiness = readiness;
    }

    SerialExecutor executor() {
        return serial;
    }

    <T> Subscription subscribe(ClientEvent<T> event, ClientListener<? super T> listener) {
        Entry<T> entry = new Entry<>(event, listener);
        serial.execute(() -> {
            if (entry.closed || closed) {
                return;
            }
            listeners.computeIfAbsent(event, e -> new ArrayList<>()).add(entry);
            replay(entry);
        });
        return () -> {
            if (!entry.closed) {
                entry.closed = true;
                serial.execute(() -> {
                    List<Entry<?>> list = listeners.get(event);
                    if (list != null) {
                        list.remove(entry);
                    }
                });
            }
        };
    }

    <T> void publish(ClientEvent<T> event, T payload) {
        serial.execute(() -> {
            if (closed) {
                return;
            }
            track(event, payload);
            for (Entry<?> entry : List.copyOf(listeners.getOrDefault(event, List.of()))) {
                @SuppressWarnings("unchecked")
                Entry<T> typed = (Entry<T>) entry;
                typed.deliver(payload);
            }
        });
    }

    /** After the events already queued, drops every listener and withdraws published readiness. */
    void close() {
        serial.execute(() -> {
            closed = true;
            listeners.clear();
            readiness.close();
        });
    }

    private void track(ClientEvent<?> event, Object payload) {
        if (event == ClientEvent.READY) {
            deliveredReady = true;
            readiness.clientReady(true);
        } else if (event == ClientEvent.FEATURE_READY) {
            deliveredReadyFeatures.add((String) payload);
            readiness.featureReady((String) payload, true);
        } else if (event == ClientEvent.FEATURE_UNAVAILABLE) {
            deliveredReadyFeatures.remove(payload);
            readiness.featureReady((String) payload, false);
            if (FeatureBundle.CORE.equals(payload) && deliveredReady) {
                deliveredReady = false;
                readiness.clientReady(false);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void replay(Entry<T> entry) {
        if (entry.event == ClientEvent.READY && deliveredReady) {
            entry.deliver((T) client);
        } else if (entry.event == ClientEvent.FEATURE_READY) {
            for (String feature : List.copyOf(deliveredReadyFeatures)) {
                entry.deliver((T) feature);
            }
        }
    }

    private final class Entry<T> {
        final ClientEvent<T> event;
        final ClientListener<? super T> listener;
        volatile boolean closed;

        Entry(ClientEvent<T> event, ClientListener<? super T> listener) {
            this.event = event;
            this.listener = listener;
        }

        void deliver(T payload) {
            if (closed) {
                return;
            }
            try {
                listener.on(payload);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("client {}: a {} listener threw; the other listeners still run", client.id(), event, e);
            }
        }
    }
}
