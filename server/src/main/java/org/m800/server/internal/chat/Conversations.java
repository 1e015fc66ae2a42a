package org.m800.server.internal.chat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/**
 * The conversations in memory, at most about {@code maxCached} of them, the least recently used
 * evicted first (issue 17 item 9: 3,000 groups were each cached forever).
 *
 * <p>Why eviction never hands out a seq twice: there is at most one cached {@link Conv} per id, and
 * all work on a conversation runs holding its lock ({@link #withConversation}). A {@link Conv} is
 * read from the tables by the first holder of its lock, after it was put in the cache; it is evicted
 * only by a holder of its lock (so after every change made through it, message and events included,
 * was committed: the work commits before it returns) and marked evicted, which makes a thread that
 * was waiting for it look the id up again. The next instance therefore reads the conversation's
 * newest seq from the tables after the last write through the previous one. Work must not keep a
 * {@link Conv} beyond its call. Thread-safe.
 */
final class Conversations {
    /** Work on a conversation, holding its lock. */
    @FunctionalInterface
    interface Work<T> {
        /** @param c the conversation, loaded; null for {@link #withConversation} when there is none */
        T run(Conv c) throws WireException, SQLException;
    }

    private final ChatTables tables;
    private final int maxCached;
    private final ConcurrentHashMap<String, Conv> cache = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    /** @param maxCached how many conversations to keep in memory (at least 1) */
    Conversations(ChatTables tables, int maxCached) {
        if (maxCached < 1) {
            throw new IllegalArgumentException("maxCached must be at least 1");
        }
        this.tables = tables;
        this.maxCached = maxCached;
    }

    /** Runs the work holding the conversation's lock; it gets null if there is no such conversation. */
    <T> T withConversation(String id, Work<T> work) throws WireException, SQLException {
        while (true) {
            Conv c = cache.computeIfAbsent(id, Conv::new);
            c.lastUsed = clock.incrementAndGet();
            boolean added = false;
            c.lock.lock();
            try {
                if (c.evicted) {
                    continue;
                }
                if (!c.loaded) {
                    if (!tables.load(c)) {
                        c.evicted = true;
                        cache.remove(id, c);
                        return work.run(null);
                    }
                    c.loaded = true;
                    added = true;
                }
                return work.run(c);
            } finally {
                c.lock.unlock();
                if (added && cache.size() > maxCached) {
                    evict();
                }
            }
        }
    }

    /** As {@link #withConversation}, NOT_FOUND if there is none (membership is the work's check). */
    <T> T withExisting(String id, Work<T> work) throws WireException, SQLException {
        return withConversation(id, c -> {
            if (c == null) {
                throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_CONVERSATION", "no conversation " + id);
            }
            return work.run(c);
        });
    }

    /** As {@link #withExisting}, BAD_FIELD if it is a direct conversation. */
    <T> T withGroup(String id, Work<T> work) throws WireException, SQLException {
        return withExisting(id, c -> {
            if (c.direct()) {
                throw WireException.invalid("conversationId", "BAD_FIELD", "conversation " + id
                        + " is a direct conversation, not a group");
            }
            return work.run(c);
        });
    }

    /** Checks that the group exists before a request's slower checks (a conversation is never deleted). */
    void requireGroup(String id) throws WireException, SQLException {
        withGroup(id, c -> null);
    }

    /** Checks that the conversation exists before a request's slower checks. */
    void requireExisting(String id) throws WireException, SQLException {
        withExisting(id, c -> null);
    }

    /**
     * Evicts the least recently used tenth beyond the bound, skipping those in use (their lock is held:
     * they go in a later round). Called holding no conversation's lock.
     */
    private void evict() {
        List<Conv> all = new ArrayList<>(cache.values());
        int excess = all.size() - maxCached + Math.max(1, maxCached / 10);
        if (excess <= 0) {
            return;
        }
        all.sort(Comparator.comparingLong(c -> c.lastUsed));
        for (Conv c : all.subList(0, Math.min(excess, all.size()))) {
            if (c.lock.tryLock()) {
                try {
                    if (!c.evicted && c.loaded) {
                        c.evicted = true;
                        cache.remove(c.id, c);
                        evictions.incrementAndGet();
                    }
                } finally {
                    c.lock.unlock();
                }
            }
        }
    }

    /** @return how many conversations are in memory now */
    int size() {
        return cache.size();
    }

    /** @return how many were evicted since the start */
    long evictions() {
        return evictions.get();
    }
}
