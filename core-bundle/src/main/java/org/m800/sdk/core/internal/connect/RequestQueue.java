package org.m800.sdk.core.internal.connect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.internal.wire.Json;
import org.m800.sdk.core.internal.wire.WireErrors;

/**
 * The requests of one connection service that have no answer yet: their ids, their timeouts, the
 * offline queue limit, and which were sent on which connection, so the unanswered ones go out again
 * on the next connection.
 *
 * <p>Guarded by the owner's lock ({@code lock}, given at construction): every method but
 * {@link #frame} and the timeout callbacks expects the caller to hold it. The owner holds it across
 * "check the state, then enqueue" and "go CONNECTED, then resend", so a request is never queued
 * behind a resend that already ran. Futures complete on the event executor, never under the lock.
 */
final class RequestQueue {

    private static final int PROTOCOL_VERSION = 1;

    private final Object lock;
    private final ClientConfig config;
    private final Executor events;
    private final ScheduledExecutorService scheduler;
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong ids = new AtomicLong();
    private final LinkedHashMap<String, PendingRequest> pending = new LinkedHashMap<>();

    RequestQueue(Object lock, ClientConfig config, Executor events, ScheduledExecutorService scheduler) {
        this.lock = lock;
        this.config = config;
        this.events = events;
        this.scheduler = scheduler;
    }

    /** @return this service's id prefix, unique per instance, for frames other than requests */
    String idPrefix() {
        return idPrefix;
    }

    /** @return a fresh number for a ping id; needs no lock */
    long nextNumber() {
        return ids.incrementAndGet();
    }

    /**
     * Writes the request frame; needs no lock.
     *
     * @return the request with its frame, or one whose future already failed (INVALID_ARGUMENT)
     */
    PendingRequest frame(String type, Map<String, ?> data) {
        String id = "r-" + idPrefix + "-" + ids.incrementAndGet();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("v", PROTOCOL_VERSION);
        frame.put("type", type);
        frame.put("id", id);
        frame.put("data", data == null ? Map.of() : data);
        try {
            return new PendingRequest(id, type, Json.write(frame));
        } catch (RuntimeException e) {
            PendingRequest failed = new PendingRequest(id, type, null);
            failed.future.completeExceptionally(e instanceof M800Exception m ? m
                    : M800Exception.invalidArgument(type + ": the data cannot be written as JSON: " + e.getMessage()));
            return failed;
        }
    }

    /**
     * Queues the request and starts its {@link ClientConfig#requestTimeout()}, unless the service is
     * offline and {@link ClientConfig#offlineQueueLimit()} requests wait unsent already: then its
     * future fails with {@code RATE_LIMITED}. Lock held.
     *
     * @param online whether the service is connected (the limit counts only while it is not)
     * @return whether the request was queued
     */
    boolean add(PendingRequest request, boolean online) {
        if (!online && offlineQueueFull()) {
            request.future.completeExceptionally(new M800Exception(ErrorCode.RATE_LIMITED, request.type
                    + ": the offline queue is full (" + config.offlineQueueLimit() + " requests, offlineQueueLimit)"));
            return false;
        }
        pending.put(request.id, request);
        long timeoutMillis = config.requestTimeout().toMillis();
        request.timeout = scheduler.schedule(() -> timedOut(request, timeoutMillis), timeoutMillis,
                TimeUnit.MILLISECONDS);
        return true;
    }

    private boolean offlineQueueFull() {
        dropWithdrawn();
        return pending.values().stream().filter(r -> r.sentOn == 0).count() >= config.offlineQueueLimit();
    }

    /** Sends every queued request on the connection of {@code generation}, oldest first. Lock held. */
    void resend(long generation, Consumer<String> send) {
        dropWithdrawn();
        for (PendingRequest r : pending.values()) {
            r.sentOn = generation;
            send.accept(r.frame);
        }
    }

    /**
     * Completes the request the response answers, if one waits for it. Takes the lock itself.
     *
     * @return false if no request waits for this id (it timed out, or the answer is a repeat)
     */
    boolean answer(String id, Map<String, Object> response) {
        PendingRequest request;
        synchronized (lock) {
            request = id == null ? null : pending.remove(id);
        }
        if (request == null) {
            return false;
        }
        cancel(request.timeout);
        Map<String, Object> error = Json.object(response, "error");
        if (!error.isEmpty()) {
            M800Exception failure = WireErrors.toException(error);
            events.execute(() -> request.future.completeExceptionally(failure));
        } else {
            Map<String, Object> data = Json.object(response, "data");
            events.execute(() -> request.future.complete(data));
        }
        return true;
    }

    /** Fails and forgets every queued request. Lock held. */
    void failAll(M800Exception failure) {
        List<PendingRequest> failed = new ArrayList<>(pending.values());
        pending.clear();
        for (PendingRequest r : failed) {
            cancel(r.timeout);
            events.execute(() -> r.future.completeExceptionally(failure));
        }
    }

    private void timedOut(PendingRequest request, long millis) {
        boolean removed;
        synchronized (lock) {
            removed = pending.remove(request.id, request);
        }
        if (removed) {
            events.execute(() -> request.future.completeExceptionally(new M800Exception(ErrorCode.TIMEOUT,
                    "no answer to " + request.type + " within " + millis + " ms (requestTimeout)")));
        }
    }

    /** Forgets the requests whose caller completed or cancelled the future: they are not sent again. Lock held. */
    private void dropWithdrawn() {
        pending.values().removeIf(r -> {
            if (r.future.isDone()) {
                cancel(r.timeout);
                return true;
            }
            return false;
        });
    }

    static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }
}
