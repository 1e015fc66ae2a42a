package org.m800.server.internal.http;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long an HTTP connection may take to send a request (issue 17 item 2). Jetty's idle
 * timeout restarts with every byte, so a client that sends one byte every few seconds would keep a
 * connection, and with a blocking body read a thread, for ever. This guard gives each phase a deadline
 * of its own: from the connection's opening (or the end of its previous request) to complete request
 * headers, {@code headerTimeout}; from the headers to the end of the body, {@code bodyTimeout}. A
 * connection past its deadline is closed by {@link #sweep()} (run every second or so). Connections
 * upgraded to WebSocket are left alone: the endpoint then belongs to another connection, which has
 * its own liveness rule. Thread-safe.
 */
public final class SlowClientGuard implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);

    private enum Phase { AWAITING_HEADERS, READING_BODY, HANDLING }

    /** The phase of one HTTP connection and since when (nanoseconds of {@link #clock}). */
    private static final class State {
        volatile Phase phase = Phase.AWAITING_HEADERS;
        volatile long since;

        State(long now) {
            since = now;
        }
    }

    private final long headerTimeoutNanos;
    private final long bodyTimeoutNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Connection, State> states = new ConcurrentHashMap<>();

    public SlowClientGuard(Duration headerTimeout, Duration bodyTimeout) {
        this(headerTimeout, bodyTimeout, System::nanoTime);
    }

    SlowClientGuard(Duration headerTimeout, Duration bodyTimeout, LongSupplier nanoClock) {
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
        this.clock = nanoClock;
    }

    @Override
    public void onOpened(Connection connection) {
        // only the HTTP/1 connections of the connector: a WebSocket connection made by an upgrade is
        // another class (and gets no listener of the connector anyway)
        if (connection instanceof org.eclipse.jetty.server.internal.HttpConnection) {
            states.put(connection, new State(clock.getAsLong()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        states.remove(connection);
    }

    /** The request's headers are complete; its body is being read. */
    public void readingBody(Request request) {
        move(request, Phase.READING_BODY);
    }

    /** The request is read whole (or refused): the application works on it. */
    public void handling(Request request) {
        move(request, Phase.HANDLING);
    }

    /** The answer is sent: the connection may carry the next request, whose headers are now due. */
    public void done(Request request) {
        move(request, Phase.AWAITING_HEADERS);
    }

    private void move(Request request, Phase phase) {
        State s = states.get(request.getConnectionMetaData().getConnection());
        if (s != null) {
            s.phase = phase;
            s.since = clock.getAsLong();
        }
    }

    /** @return how many HTTP connections are open (tests) */
    public int openConnections() {
        return states.size();
    }

    /** Closes every connection past the deadline of its phase. */
    public void sweep() {
        long now = clock.getAsLong();
        states.forEach((connection, s) -> {
            long limit = switch (s.phase) {
                case AWAITING_HEADERS -> headerTimeoutNanos;
                case READING_BODY -> bodyTimeoutNanos;
                case HANDLING -> Long.MAX_VALUE;
            };
            if (now - s.since > limit) {
                close(connection, s, limit);
            }
        });
    }

    private void close(Connection connection, State s, long limit) {
        try {
            states.remove(connection);
            EndPoint endPoint = connection.getEndPoint();
            if (endPoint.getConnection() != connection) {
                return; // upgraded to WebSocket: no longer an HTTP connection
            }
            LOG.debug("Closing {}: {} for more than {} ms", endPoint.getRemoteSocketAddress(), s.phase,
                    limit / 1_000_000);
            endPoint.close();
        } catch (RuntimeException e) {
            LOG.warn("Cannot close a slow connection", e);
        }
    }
}
