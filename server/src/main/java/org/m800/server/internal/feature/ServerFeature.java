package org.m800.server.internal.feature;

import java.util.List;
import org.m800.server.internal.db.Migration;

/**
 * A part of the server that a feature issue contributes (accounts, verification, chat, contacts,
 * calls): its tables, as versioned migrations, and its handlers. The server applies every
 * feature's pending migrations, then calls {@link #install} once, before it accepts connections.
 */
public interface ServerFeature {
    /** @return a stable name, the key of the feature's rows in {@code schema_version} */
    String name();

    /** @return the feature's migrations, versions 1, 2, 3... in order; never remove or edit a released one */
    List<Migration> migrations();

    /** Registers the feature's WebSocket request types and HTTP routes. */
    void install(FeatureContext context);

    /** Releases what {@link #install} opened (threads, sockets) as the server stops. */
    default void close() {
    }
}
