package org.m800.sdk.core;

import java.util.function.Consumer;

/**
 * The module {@value #MODULE}: server events fanned out to subscribers by event type.
 *
 * <p>Subscribers of one client are called in {@code seq} order on the client's event threads. A
 * subscriber that throws is logged; the others still run. Thread-safe.
 */
public interface NotificationService {

    /** The module name. */
    String MODULE = "service.notification";

    /**
     * @param eventType an event type such as {@code profile.updated}, or a prefix ending in {@code .*}
     *        such as {@code chat.*}
     * @return a handle that unsubscribes
     * @throws M800Exception INVALID_ARGUMENT for a blank type or a null listener
     */
    Subscription subscribe(String eventType, Consumer<ServerEvent> listener);
}
