package org.m800.sdk.core;

import java.util.Objects;

/**
 * A typed event key: {@code client.on(ClientEvent.FEATURE_READY, name -> ...)}.
 *
 * @param <T> the payload type that listeners of this event receive
 */
public final class ClientEvent<T> {

    /**
     * Every module of the {@code core} feature is built. The payload is the client. Fires on each
     * transition into that state; a listener added while the client is ready is told at once.
     */
    public static final ClientEvent<Client> READY = new ClientEvent<>("READY", Client.class);

    /**
     * Every module of a feature is built; the payload is the feature name. Fires again when a module
     * of the feature was replaced (an override arrived or left). A listener added later is told at
     * once of each feature that is ready.
     */
    public static final ClientEvent<String> FEATURE_READY = new ClientEvent<>("FEATURE_READY", String.class);

    /**
     * A feature that was ready is not any more (its bundle stopped or left, a dependency left, or
     * the client closed); the payload is the feature name.
     */
    public static final ClientEvent<String> FEATURE_UNAVAILABLE =
            new ClientEvent<>("FEATURE_UNAVAILABLE", String.class);

    /**
     * Something failed outside of any call the application made: a module factory threw, a cycle
     * was found, a module reported a failure. The client and its other features keep working.
     */
    public static final ClientEvent<M800Exception> ERROR = new ClientEvent<>("ERROR", M800Exception.class);

    private final String name;
    private final Class<T> payloadType;

    private ClientEvent(String name, Class<T> payloadType) {
        this.name = Objects.requireNonNull(name);
        this.payloadType = Objects.requireNonNull(payloadType);
    }

    /** @return the event's name, such as {@code FEATURE_READY} */
    public String name() {
        return name;
    }

    /** @return the type of the payload listeners receive */
    public Class<T> payloadType() {
        return payloadType;
    }

    @Override
    public String toString() {
        return name;
    }
}
