package org.m800.server.internal;

import java.time.Duration;

/**
 * The server's protections against slow and abusive clients (docs/protocol.md section 10, server
 * README "Limits"), configurable through {@link org.m800.server.ReferenceServer.Builder}.
 *
 * @param requestHeaderTimeout how long an HTTP connection may take to send complete request headers,
 *        from its opening or the end of its previous request; then it is closed
 * @param requestBodyTimeout how long a request body may take to arrive whole; then the connection is
 *        closed
 */
public record ServerLimits(Duration requestHeaderTimeout, Duration requestBodyTimeout) {
    /** The defaults, documented in the server README. */
    public static final ServerLimits DEFAULTS = new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30));

    public ServerLimits {
        positive("requestHeaderTimeout", requestHeaderTimeout);
        positive("requestBodyTimeout", requestBodyTimeout);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
