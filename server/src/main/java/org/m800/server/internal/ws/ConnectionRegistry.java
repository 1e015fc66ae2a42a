package org.m800.server.internal.ws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The authenticated connections by login session, to close them when the session is logged out. Thread-safe. */
public final class ConnectionRegistry {
    private final ConcurrentHashMap<String, Set<WsConnection>> bySession = new ConcurrentHashMap<>();

    void add(String sessionId, WsConnection connection) {
        bySession.computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    void remove(String sessionId, WsConnection connection) {
        bySession.computeIfPresent(sessionId, (k, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    /** Closes every connection of the login session with 4001 {@code logged out}. */
    public void sessionRevoked(String sessionId) {
        Set<WsConnection> set = bySession.remove(sessionId);
        if (set != null) {
            set.forEach(c -> c.close(4001, "logged out"));
        }
    }
}
