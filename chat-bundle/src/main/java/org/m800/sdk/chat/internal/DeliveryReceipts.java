package org.m800.sdk.chat.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the server which messages of others this device stored ({@code chat.receipt} "delivered"),
 * one cumulative receipt per conversation for a burst of messages.
 */
final class DeliveryReceipts {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReceipts.class);
    private static final long DELAY_MS = 20;

    private final String clientId;
    private final BiFunction<String, Map<String, ?>, CompletableFuture<Map<String, Object>>> request;
    private final ScheduledExecutorService scheduler;
    private final Executor events;
    private final Map<String, Long> pending = new LinkedHashMap<>();
    private boolean scheduled;

    DeliveryReceipts(String clientId, BiFunction<String, Map<String, ?>, CompletableFuture<Map<String, Object>>> request,
            ScheduledExecutorService scheduler, Executor events) {
        this.clientId = clientId;
        this.request = request;
        this.scheduler = scheduler;
        this.events = events;
    }

    /** The message at {@code seq} of the conversation is stored: acknowledge it a little later. */
    void delivered(String conversationId, long seq) {
        synchronized (pending) {
            pending.merge(conversationId, seq, Math::max);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        scheduler.schedule(() -> events.execute(this::flush), DELAY_MS, TimeUnit.MILLISECONDS);
    }

    private void flush() {
        Map<String, Long> marks;
        synchronized (pending) {
            scheduled = false;
            marks = new LinkedHashMap<>(pending);
            pending.clear();
        }
        marks.forEach((conv, seq) -> request.apply("chat.receipt", Map.of("conversationId", conv, "kind", "delivered",
                "upTo", seq)).whenComplete((r, t) -> {
                    if (t != null) {
                        LOG.debug("client {}: delivered receipt failed: {}", clientId, t.toString());
                    }
                }));
    }
}
