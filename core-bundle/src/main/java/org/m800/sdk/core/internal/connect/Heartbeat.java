package org.m800.sdk.core.internal.connect;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.m800.sdk.core.ClientConfig;

/**
 * Keeps one authenticated connection alive: a ping every {@link ClientConfig#heartbeatInterval()},
 * and the connection declared lost once no frame at all arrived for {@link ClientConfig#heartbeatTimeout()}
 * (a half-open TCP connection is noticed only this way). Runs on the scheduler; the owner's callback
 * takes the owner's lock, this class takes none.
 */
final class Heartbeat {

    private final ScheduledFuture<?> task;

    private Heartbeat(ScheduledFuture<?> task) {
        this.task = task;
    }

    /**
     * Starts beating on {@code conn} until {@link #stop}.
     *
     * @param current whether {@code conn} is still the owner's connection (else a beat does nothing)
     * @param lost told that {@code conn} stayed silent past the timeout, and why
     */
    static Heartbeat start(ScheduledExecutorService scheduler, ClientConfig config, Connection conn, LongSupplier ids,
            Predicate<Connection> current, BiConsumer<Connection, String> lost) {
        long interval = config.heartbeatInterval().toMillis();
        long timeout = config.heartbeatTimeout().toMillis();
        return new Heartbeat(scheduler.scheduleAtFixedRate(() -> beat(conn, timeout, ids, current, lost), interval, interval,
                TimeUnit.MILLISECONDS));
    }

    private static void beat(Connection conn, long timeoutMillis, LongSupplier ids, Predicate<Connection> current,
            BiConsumer<Connection, String> lost) {
        if (!current.test(conn)) {
            return;
        }
        long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - conn.lastFrameNanos);
        if (silentMillis > timeoutMillis) {
            lost.accept(conn, "no frame from the server for " + silentMillis + " ms (heartbeatTimeout)");
            conn.disconnect();
            return;
        }
        conn.send("{\"v\":1,\"type\":\"ping\",\"id\":\"p-" + ids.getAsLong() + "\"}");
    }

    /** Stops the pings; a beat already running finishes. */
    void stop() {
        task.cancel(false);
    }
}
