package org.m800.server.internal;

import java.time.Duration;
import org.m800.server.internal.limits.RateLimits;

/**
 * The server's protections against slow and abusive clients (docs/protocol.md section 10, server
 * README "Slow clients" and "Abuse limits"), configurable through
 * {@link org.m800.server.ReferenceServer.Builder}.
 *
 * @param requestHeaderTimeout how long an HTTP connection may take to send complete request headers,
 *        from its opening or the end of its previous request; then it is closed
 * @param requestBodyTimeout how long a request body may take to arrive whole; then the connection is
 *        closed
 * @param connectionsPerUser authenticated WebSocket connections one user may hold at once (every
 *        endpoint, every device); a hello beyond it is refused
 * @param groupsPerUserPerHour groups one user may create in an hour
 * @param eventRetention how long the event log keeps an event (a user's newest is always kept)
 * @param eventsPerUser how many of a user's newest events the log keeps at most
 * @param rates the rates of requests, messages and sign-ups ({@link RateLimits#DEFAULTS} if null)
 */
public record ServerLimits(Duration requestHeaderTimeout, Duration requestBodyTimeout, int connectionsPerUser,
        int groupsPerUserPerHour, Duration eventRetention, int eventsPerUser, RateLimits rates) {
    /** The defaults, documented in the server README. */
    public static final ServerLimits DEFAULTS = new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 32,
            100, Duration.ofDays(30), 10_000, RateLimits.DEFAULTS);

    public ServerLimits {
        positive("requestHeaderTimeout", requestHeaderTimeout);
        positive("requestBodyTimeout", requestBodyTimeout);
        if (connectionsPerUser < 1) {
            throw new IllegalArgumentException("connectionsPerUser must be at least 1, was " + connectionsPerUser);
        }
        if (groupsPerUserPerHour < 1) {
            throw new IllegalArgumentException("groupsPerUserPerHour must be at least 1, was " + groupsPerUserPerHour);
        }
        positive("eventRetention", eventRetention);
        if (eventsPerUser < 1) {
            throw new IllegalArgumentException("eventsPerUser must be at least 1, was " + eventsPerUser);
        }
        rates = rates == null ? RateLimits.DEFAULTS : rates;
    }

    public ServerLimits withRequestTimeouts(Duration headers, Duration body) {
        return new ServerLimits(headers, body, connectionsPerUser, groupsPerUserPerHour, eventRetention,
                eventsPerUser, rates);
    }

    public ServerLimits withConnectionsPerUser(int value) {
        return new ServerLimits(requestHeaderTimeout, requestBodyTimeout, value, groupsPerUserPerHour, eventRetention,
                eventsPerUser, rates);
    }

    public ServerLimits withGroupsPerUserPerHour(int value) {
        return new ServerLimits(requestHeaderTimeout, requestBodyTimeout, connectionsPerUser, value, eventRetention,
                eventsPerUser, rates);
    }

    public ServerLimits withEventRetention(Duration retention, int perUser) {
        return new ServerLimits(requestHeaderTimeout, requestBodyTimeout, connectionsPerUser, groupsPerUserPerHour,
                retention, perUser, rates);
    }

    public ServerLimits withRates(RateLimits value) {
        return new ServerLimits(requestHeaderTimeout, requestBodyTimeout, connectionsPerUser, groupsPerUserPerHour,
                eventRetention, eventsPerUser, value);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
