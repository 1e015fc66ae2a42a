package org.m800.sdk.core.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last events of one client (READY, FEATURE_READY, FEATURE_UNAVAILABLE, ERROR), also logged. */
final class ClientEventLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientEventLog.class);
    private static final int HISTORY = 200;

    private final Deque<String> lines = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final long created = System.nanoTime();

    ClientEventLog(Client client) {
        try {
            subscriptions.add(client.on(ClientEvent.READY, c -> record(client, "READY")));
            subscriptions.add(client.on(ClientEvent.FEATURE_READY, f -> record(client, "FEATURE_READY " + f)));
            subscriptions.add(client.on(ClientEvent.FEATURE_UNAVAILABLE,
                    f -> record(client, "FEATURE_UNAVAILABLE " + f)));
            subscriptions.add(client.on(ClientEvent.ERROR,
                    e -> record(client, "ERROR " + e.code() + ": " + e.getMessage())));
        } catch (M800Exception closedAlready) {
            close();
        }
    }

    private void record(Client client, String event) {
        String line = String.format("+%d ms %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created), event);
        LOG.debug("client {}: {}", client.id(), event);
        synchronized (lines) {
            lines.addLast(line);
            if (lines.size() > HISTORY) {
                lines.removeFirst();
            }
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
    }
}
