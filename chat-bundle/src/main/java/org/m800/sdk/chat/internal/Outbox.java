package org.m800.sdk.chat.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.m800.sdk.chat.Message;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@link ChatStore}'s outbox in {@code send()} order, at most {@value #WINDOW} messages
 * unanswered at a time, and completes their acceptance futures.
 *
 * <h2>Order across connection cuts</h2>
 * The messages of one sender are accepted by the server in {@code send()} order. Requests issued on a
 * connection keep their order, and the connection service re-sends those still unanswered after a cut
 * in the order they were made. What could break the order is a message that fails on its own (a
 * timeout, the offline queue full) while later ones are in flight: had it been sent again at once, or
 * skipped, later ones would be accepted first. So after such a failure nothing new is issued until
 * every message in flight has been answered or failed; then the outbox is sent again from its oldest
 * message (the server answers a repeat with its first answer). A request that fails at once stops the
 * round it was issued in. And nothing is issued for {@value #RETRY_DELAY_MS} ms after the latest such
 * failure: a server that refuses a sender for a while (a rate limit) refuses the messages pipelined
 * behind the first refused one too, and sending again at once would only be refused again.
 *
 * <p>Thread-safe; {@code lock} is a leaf lock except for the store's monitor, taken inside it.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** Messages sent and not yet answered, at most. */
    static final int WINDOW = 256;
    private static final long RETRY_DELAY_MS = 1_000;

    private final String clientId;
    private final Supplier<ChatStore> store;
    private final BooleanSupplier connected;
    private final BiFunction<String, Map<String, ?>, CompletableFuture<Map<String, Object>>> request;
    private final ScheduledExecutorService scheduler;
    private final Executor events;
    /** Acceptance futures of messages sent by this instance, by message id. */
    private final Map<String, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    // guarded by lock
    private ChatStore current;
    /** Messages sent and not answered, in the order they were issued, with their request's future. */
    private final LinkedHashMap<String, CompletableFuture<Map<String, Object>>> inFlight = new LinkedHashMap<>();
    /** Outbox ids not in flight, in outbox order; rebuilt from the store when {@code rescan} is set. */
    private final ArrayDeque<String> unsent = new ArrayDeque<>();
    private boolean rescan = true;
    /** A message failed on its own: issue nothing until {@code inFlight} is empty, then rescan. */
    private boolean barrier;
    private boolean retryScheduled;
    /** Nothing is issued before {@code quietUntilNanos} ({@link System#nanoTime()}) while set. */
    private boolean quiet;
    private long quietUntilNanos;
    private boolean closed;
    /** A thread is issuing requests; {@code again}: go round once more. */
    private boolean pumping;
    private boolean again;

    Outbox(String clientId, Supplier<ChatStore> store, BooleanSupplier connected,
            BiFunction<String, Map<String, ?>, CompletableFuture<Map<String, Object>>> request,
            ScheduledExecutorService scheduler, Executor events) {
        this.clientId = clientId;
        this.store = store;
        this.connected = connected;
        this.request = request;
        this.scheduler = scheduler;
        this.events = events;
    }

    /**
     * A message was just stored in the outbox; its future completes when the server answers. Call it in
     * the order the messages were stored (the caller serialises storing and this call), then
     * {@link #pump()}.
     */
    void added(String id, CompletableFuture<Message> accepted) {
        waiting.put(id, accepted);
        synchronized (lock) {
            if (!rescan && !barrier) {
                unsent.add(id);
            }
        }
    }

    /**
     * Sends outbox messages that are not in flight, up to the window. Any thread; one thread at a time
     * issues requests (a call meanwhile makes that thread go round once more), so requests are issued
     * in outbox order.
     */
    void pump() {
        synchronized (lock) {
            if (pumping) {
                again = true;
                return;
            }
            pumping = true;
        }
        boolean done = false;
        try {
            while (true) {
                issueOnce();
                synchronized (lock) {
                    if (!again) {
                        pumping = false;
                        done = true;
                        return;
                    }
                    again = false;
                }
            }
        } finally {
            if (!done) {
                synchronized (lock) {
                    pumping = false;
                }
            }
        }
    }

    private void issueOnce() {
        ChatStore s = store.get();
        List<StoredMessage> toSend = new ArrayList<>();
        long retryAfter = 0;
        synchronized (lock) {
            if (s != current) {
                // another user's store (or none): what was in flight belongs to the old one
                current = s;
                inFlight.clear();
                unsent.clear();
                rescan = true;
                barrier = false;
            }
            if (s == null || closed || !connected.getAsBoolean()) {
                return;
            }
            if (barrier) {
                if (!inFlight.isEmpty()) {
                    return;
                }
                barrier = false;
                rescan = true;
            }
            if (quiet) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(quietUntilNanos - System.nanoTime());
                if (leftMs > 0) {
                    retryAfter = leftMs;
                } else {
                    quiet = false;
                }
            }
            if (retryAfter == 0 && rescan) {
                unsent.clear();
                for (String id : s.outboxIds()) {
                    if (!inFlight.containsKey(id)) {
                        unsent.add(id);
                    }
                }
                rescan = false;
            }
            while (retryAfter == 0 && inFlight.size() < WINDOW && !unsent.isEmpty()) {
                String id = unsent.poll();
                StoredMessage m = s.outgoing(id);
                // gone from the outbox: accepted (its event came first) or refused meanwhile
                if (m != null && !inFlight.containsKey(id)) {
                    inFlight.put(id, null);
                    toSend.add(m);
                }
            }
        }
        if (retryAfter > 0) {
            retryLater(retryAfter);
            return;
        }
        for (int i = 0; i < toSend.size(); i++) {
            StoredMessage m = toSend.get(i);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("conversationId", m.conv);
            data.put("messageId", m.id);
            data.put("content", m.content);
            CompletableFuture<Map<String, Object>> answer = request.apply("chat.send", data);
            synchronized (lock) {
                if (inFlight.containsKey(m.id)) {
                    inFlight.put(m.id, answer);
                }
            }
            if (answer.isCompletedExceptionally()) {
                // refused at once (offline queue full, stopped): later ones must not overtake it
                synchronized (lock) {
                    for (StoredMessage later : toSend.subList(i + 1, toSend.size())) {
                        inFlight.remove(later.id);
                    }
                    rescan = true;
                }
                answer.whenComplete((r, t) -> answered(s, m.id, r, t));
                break;
            }
            answer.whenComplete((r, t) -> answered(s, m.id, r, t));
        }
    }

    private void answered(ChatStore s, String id, Map<String, Object> answer, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        ChatWire.SendAnswer accepted = null;
        if (cause == null) {
            try {
                accepted = ChatWire.SendAnswer.of(answer);
            } catch (M800Exception e) {
                cause = e;
            }
        }
        ErrorCode code = cause == null ? null : cause instanceof M800Exception e ? e.code() : ErrorCode.SERVER_ERROR;
        boolean refused = code == ErrorCode.INVALID_ARGUMENT || code == ErrorCode.NOT_FOUND
                || code == ErrorCode.UNAUTHORIZED || (code == ErrorCode.PROTOCOL && accepted == null && failure != null);
        List<CompletableFuture<Map<String, Object>>> withdraw = new ArrayList<>();
        synchronized (lock) {
            if (s == current) {
                if (cause != null && !refused) {
                    barrier = true;
                    quiet = true;
                    quietUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS);
                    // the ones issued after it must not be accepted before it is sent again: withdraw them
                    // from what the connection re-sends (one already on the wire goes after it anyway)
                    boolean after = false;
                    for (Map.Entry<String, CompletableFuture<Map<String, Object>>> e : inFlight.entrySet()) {
                        if (after && e.getValue() != null) {
                            withdraw.add(e.getValue());
                        }
                        after |= e.getKey().equals(id);
                    }
                }
                inFlight.remove(id);
            }
        }
        withdraw.forEach(f -> f.cancel(false));
        if (accepted != null) {
            accept(s, id, accepted.seq(), accepted.ts());
        } else if (refused) {
            refuse(s, id, (M800Exception) cause);
        } else {
            if (!(cause instanceof java.util.concurrent.CancellationException)) {
                LOG.debug("client {}: message {} not sent yet ({}); it stays in the outbox", clientId, id,
                        cause.toString());
            }
            retryLater(RETRY_DELAY_MS);
        }
        pump();
    }

    /** The server accepted an outgoing message (its answer, or its own chat.message event). */
    void accept(ChatStore s, String id, long seq, long ts) {
        Message snapshot = s.accept(id, seq, ts);
        CompletableFuture<Message> f = waiting.remove(id);
        if (f != null) {
            Message done = snapshot != null ? snapshot : s.message(s.userId, id).orElse(null);
            if (done != null) {
                events.execute(() -> f.complete(done));
            }
        }
    }

    private void refuse(ChatStore s, String id, M800Exception why) {
        if (s.refuse(id, why) != null) {
            LOG.info("client {}: message {} refused by the server: {}", clientId, id, why.getMessage());
        }
        CompletableFuture<Message> f = waiting.remove(id);
        if (f != null) {
            events.execute(() -> f.completeExceptionally(why));
        }
    }

    private void retryLater(long delayMs) {
        synchronized (lock) {
            if (retryScheduled || closed) {
                return;
            }
            retryScheduled = true;
        }
        scheduler.schedule(() -> {
            synchronized (lock) {
                retryScheduled = false;
            }
            pump();
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Stops sending; the futures handed out are failed by the manager's close. */
    void close() {
        synchronized (lock) {
            closed = true;
            inFlight.clear();
            unsent.clear();
        }
        waiting.clear();
    }
}
