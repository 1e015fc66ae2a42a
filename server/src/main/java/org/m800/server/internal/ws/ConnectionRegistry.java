package org.m800.server.internal.ws;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticated connections by login session: to close them when the session is logged out, to
 * drop the ones that went silent (liveness, docs/protocol.md 7.3), and to tell features (presence)
 * when a user's connections come and go. Thread-safe.
 */
public final class ConnectionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    /**
     * Told once when an authenticated connection is registered and once when it leaves (closed,
     * dropped as dead, or its session logged out), in that order for one connection. Called on the
     * thread that registers or removes it (a Jetty thread or the server's scheduler), while no lock of
     * the registry is held; must be quick and must not block.
     */
    public interface Listener {
        /** @param path the endpoint ({@code /v1/im}, {@code /v1/call}) */
        void opened(String userId, String sessionId, String path);

        void closed(String userId, String sessionId, String path);
    }

    private final ConcurrentHashMap<String, Set<WsConnection>> bySession = new ConcurrentHashMap<>();
    /** Authenticated connections per user, for the per-user limit. */
    private final ConcurrentHashMap<String, Integer> perUser = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final int maxPerUser;

    /** @param maxPerUser how many authenticated connections one user may hold at once */
    public ConnectionRegistry(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /** A registry without a per-user limit (tests of features). */
    public ConnectionRegistry() {
        this(Integer.MAX_VALUE);
    }

    /**
     * Takes one of the user's connection places.
     *
     * @return false if the user already holds the most connections allowed
     */
    boolean reserve(String userId) {
        boolean[] taken = new boolean[1];
        perUser.compute(userId, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerUser) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    /** Gives back a place {@link #reserve} took. */
    void release(String userId) {
        perUser.computeIfPresent(userId, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Adds a listener (features do while the server starts). */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    void add(String sessionId, WsConnection connection) {
        boolean added = bySession.computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet()).add(connection);
        if (added) {
            for (Listener l : listeners) {
                try {
                    l.opened(connection.userId(), sessionId, connection.path());
                } catch (RuntimeException e) {
                    LOG.warn("A connection listener failed", e);
                }
            }
        }
    }

    void remove(String sessionId, WsConnection connection) {
        boolean[] removed = new boolean[1];
        bySession.computeIfPresent(sessionId, (k, set) -> {
            removed[0] = set.remove(connection);
            return set.isEmpty() ? null : set;
        });
        if (removed[0]) {
            closed(sessionId, connection);
        }
    }

    private void closed(String sessionId, WsConnection connection) {
        for (Listener l : listeners) {
            try {
                l.closed(connection.userId(), sessionId, connection.path());
            } catch (RuntimeException e) {
                LOG.warn("A connection listener failed", e);
            }
        }
    }

    /** Closes every connection of the login session with 4001 {@code logged out}. */
    public void sessionRevoked(String sessionId) {
        Set<WsConnection> set = bySession.remove(sessionId);
        if (set != null) {
            for (WsConnection c : set) {
                c.close(4001, "logged out");
                closed(sessionId, c);
            }
        }
    }

    /**
     * Drops (without a close handshake) every authenticated connection that received no frame for
     * longer than the idle timeout: the peer is gone without a goodbye. Any thread.
     *
     * @return how many were dropped
     */
    public int dropSilent(long idleTimeoutMs) {
        long now = System.nanoTime();
        long limit = idleTimeoutMs * 1_000_000L;
        int dropped = 0;
        for (Set<WsConnection> set : bySession.values()) {
            for (WsConnection c : set) {
                if (now - c.lastFrameNanos() > limit) {
                    LOG.debug("Dropping a connection of user {} silent for more than {} ms", c.userId(), idleTimeoutMs);
                    c.drop();
                    dropped++;
                }
            }
        }
        return dropped;
    }
}
