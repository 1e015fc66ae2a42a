package org.m800.sdk.core.internal.connect;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NotificationService}: one subscription on the connection, fanned out by event type. The
 * connection already delivers on the client's event executor in seq order, so routing keeps that order.
 */
public final class EventRouter implements NotificationService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);

    private record Route(String type, boolean prefix, Consumer<ServerEvent> listener) {
        boolean matches(String eventType) {
            return prefix ? eventType.startsWith(type) : eventType.equals(type);
        }

        /**
         * Identity: a subscription removes its own route, not an equal one of another subscription; and a
         * record's generated equals is bootstrapped through invokedynamic at its first call (start-up CPU).
         */
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Subscription upstream;

    public EventRouter(ConnectService connect) {
        this.upstream = connect.onEvent(this::route);
    }

    @Override
    public Subscription subscribe(String eventType, Consumer<ServerEvent> listener) {
        if (eventType == null || eventType.isBlank() || eventType.equals(".*")) {
            throw M800Exception.invalidArgument("event type must not be blank");
        }
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        Route route = eventType.endsWith(".*")
                ? new Route(eventType.substring(0, eventType.length() - 1), true, listener)
                : new Route(eventType, false, listener);
        routes.add(route);
        return () -> routes.remove(route);
    }

    private void route(ServerEvent event) {
        for (Route r : routes) {
            if (r.matches(event.type())) {
                try {
                    r.listener().accept(event);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("a subscriber of {} threw on event #{}", r.type(), event.seq(), e);
                }
            }
        }
    }

    @Override
    public void close() {
        upstream.close();
        routes.clear();
    }
}
