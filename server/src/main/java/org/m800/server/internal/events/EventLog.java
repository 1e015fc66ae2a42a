package org.m800.server.internal.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Json;

/**
 * The persisted per-user event log (docs/protocol.md section 8) and its live fan-out. Appending,
 * replaying and attaching for one user happen under one lock per user stripe (an event for several
 * users takes their stripes in ascending order), so a connection that attaches gets every event
 * exactly once: the replay and then the live ones, in order. A user's head (newest seq) is the largest
 * seq in {@code events}; {@link #trim} never deletes a user's newest event, so it only grows, and it is
 * kept in memory after the first use. This server must be the only writer of its database. Thread-safe.
 */
public final class EventLog {
    private static final int STRIPES = 64;

    private final Database database;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final ConcurrentHashMap<String, Set<EventSink>> live = new ConcurrentHashMap<>();
    /** The receiver whose request the writer thread is handling, and its user; writer thread only. */
    private EventSink origin;
    private String originUser;
    /** The newest seq appended to the origin's user's log during that request; writer thread only. */
    private volatile long originSeq; // volatile only so that no reader could see half a long
    /** Newest seq per user, loaded on first use; written under the user's stripe lock. */
    private final ConcurrentHashMap<String, Long> heads = new ConcurrentHashMap<>();

    public EventLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    private static int stripe(String userId) {
        return Math.floorMod(userId.hashCode(), STRIPES);
    }

    private ReentrantLock lock(String userId) {
        return locks[stripe(userId)];
    }

    /**
     * Appends an event to the user's log and delivers it to the user's live connections.
     *
     * @param data the payload object
     * @return the stored event
     */
    public Event append(String userId, String type, JsonNode data) throws SQLException {
        return append(userId, type, Json.write(data));
    }

    /**
     * Appends an event whose payload is already JSON text (an event fanned out to several users is
     * written once).
     *
     * @param json the payload object as JSON text
     * @return the stored event
     */
    public Event append(String userId, String type, String json) throws SQLException {
        return appendAll(List.of(userId), type, json, null).get(0);
    }

    /**
     * Appends one event to the logs of several users in one transaction, which first runs
     * {@code first} (storing what the event reports, say), then delivers it to their live connections.
     * All of it is stored, or nothing (the exception of {@code first} or of the database is thrown).
     *
     * @param userIds the users, each at most once; may be empty (then only {@code first} runs)
     * @param json the payload object as JSON text
     * @param first work of the same transaction run before the events are written, or null
     * @return the stored events, in the order of {@code userIds}
     */
    public List<Event> appendAll(List<String> userIds, String type, String json, Database.SessionWork<?> first)
            throws SQLException {
        if (!database.onWriterThread()) {
            // appends take their seqs and are delivered in the order of the writer's batches
            return database.onWriter(c -> appendAll(userIds, type, json, first));
        }
        int[] stripes = stripesOf(userIds);
        for (int stripe : stripes) {
            locks[stripe].lock();
        }
        try {
            long now = clock.millis();
            long[] seqs = new long[userIds.size()];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = headLocked(userIds.get(i)) + 1;
            }
            database.inSession(s -> {
                if (first != null) {
                    first.run(s);
                }
                // one INSERT per user: the head is the newest seq in the log, kept in memory
                PreparedStatement p = s.statement("INSERT INTO events (user_id, seq, event_type, event_data, "
                        + "created_at) VALUES (?, ?, ?, ?, ?)");
                for (int i = 0; i < seqs.length; i++) {
                    p.setString(1, userIds.get(i));
                    p.setLong(2, seqs[i]);
                    p.setString(3, type);
                    p.setString(4, json);
                    p.setLong(5, now);
                    p.executeUpdate();
                }
                return null;
            });
            List<Event> stored = new ArrayList<>(seqs.length);
            for (int i = 0; i < seqs.length; i++) {
                heads.put(userIds.get(i), seqs[i]);
                stored.add(new Event(userIds.get(i), seqs[i], type, json, now));
            }
            // an event leaves only once its batch is on disk; if the batch is rolled back its seqs are
            // given again, so the heads are read again from the database
            EventSink from = origin;
            if (from != null) {
                int own = userIds.indexOf(originUser);
                if (own >= 0) {
                    originSeq = Math.max(originSeq, seqs[own]);
                }
            }
            database.afterCommit(() -> deliver(stripes, stored, from));
            database.ifRolledBack(() -> userIds.forEach(heads::remove));
            return stored;
        } finally {
            for (int i = stripes.length - 1; i >= 0; i--) {
                locks[stripes[i]].unlock();
            }
        }
    }

    /**
     * Delivers stored events to the live connections of their users, under the users' stripe locks so
     * that no connection attaches in between (a connection that attached after the commit has the events
     * from its replay already, and its sink ignores seqs it has had).
     */
    private void deliver(int[] stripes, List<Event> stored, EventSink from) {
        for (int stripe : stripes) {
            locks[stripe].lock();
        }
        try {
            for (Event event : stored) {
                Set<EventSink> sinks = live.get(event.userId());
                if (sinks != null) {
                    for (EventSink sink : sinks) {
                        if (sink == from) {
                            sink.deliverOwn(event);
                        } else {
                            sink.deliver(event, false);
                        }
                    }
                }
            }
        } finally {
            for (int i = stripes.length - 1; i >= 0; i--) {
                locks[stripes[i]].unlock();
            }
        }
    }

    /**
     * Marks the events appended from now on, on the database's writer thread, as caused by a request of
     * this receiver of this user: it gets them through {@link EventSink#deliverOwn}. Until {@link #endOrigin}.
     */
    public void beginOrigin(EventSink sink, String userId) {
        origin = sink;
        originUser = userId;
        originSeq = 0;
    }

    /**
     * Ends what {@link #beginOrigin} began (again: harmless).
     *
     * @return the newest seq appended to the origin user's own log since, 0 if none
     */
    public long endOrigin() {
        long seq = originSeq;
        origin = null;
        originUser = null;
        originSeq = 0;
        return seq;
    }

    /** @return the distinct stripes of the users, ascending: the order in which they are locked */
    private static int[] stripesOf(List<String> userIds) {
        if (userIds.size() == 1) {
            return new int[] {stripe(userIds.get(0))};
        }
        boolean[] taken = new boolean[STRIPES];
        int n = 0;
        for (String userId : userIds) {
            int stripe = stripe(userId);
            if (!taken[stripe]) {
                taken[stripe] = true;
                n++;
            }
        }
        int[] stripes = new int[n];
        for (int stripe = 0, i = 0; stripe < STRIPES; stripe++) {
            if (taken[stripe]) {
                stripes[i++] = stripe;
            }
        }
        return stripes;
    }

    /**
     * Attaches a live receiver: picks the resume point, replays the events after it, then keeps
     * delivering new ones until {@link #detach}.
     */
    public void attach(String userId, EventSink sink, ResumePlan plan) throws SQLException {
        ReentrantLock lock = lock(userId);
        lock.lock();
        try {
            long head = headLocked(userId);
            long from = plan.resumeFrom(head);
            List<Event> replay;
            try (Connection c = database.connection()) {
                replay = readAfter(c, userId, from);
            }
            // the newest event is never trimmed, so a gap shows as a first replayed seq beyond from + 1
            boolean gap = !replay.isEmpty() && replay.get(0).seq() > from + 1;
            plan.started(head, from, gap);
            for (Event e : replay) {
                sink.deliver(e, true);
            }
            live.computeIfAbsent(userId, k -> new CopyOnWriteArraySet<>()).add(sink);
        } finally {
            lock.unlock();
        }
    }

    /** Stops live delivery to the receiver; does nothing if it is not attached. */
    public void detach(String userId, EventSink sink) {
        ReentrantLock lock = lock(userId);
        lock.lock();
        try {
            Set<EventSink> sinks = live.get(userId);
            if (sinks != null) {
                sinks.remove(sink);
                if (sinks.isEmpty()) {
                    live.remove(userId);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the retention (docs/protocol.md 8.1): deletes the events older than {@code olderThanMs}
     * (epoch ms) and those beyond the newest {@code keepPerUser} of their user, but never a user's newest
     * event, which holds the head (a seq is never given twice). A client resuming from before the oldest
     * kept event is told {@code gap}.
     *
     * @return how many events were deleted
     */
    public int trim(long olderThanMs, int keepPerUser) throws SQLException {
        // per user, on the key's range: the statements of one delete each that this replaced asked for the
        // user's newest seq again for every row (a correlated MAX the database computed by scanning the
        // user's rows), so a trim was quadratic in a user's events: after W1's 120,000 messages it held
        // the scheduler's thread, and its sweeps, for minutes
        Map<String, Long> newest = new LinkedHashMap<>();
        int keep = Math.max(1, keepPerUser);
        int n = 0;
        try (Connection c = database.connection()) {
            try (PreparedStatement p = c.prepareStatement("SELECT user_id, MAX(seq) FROM events GROUP BY user_id");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    newest.put(r.getString(1), r.getLong(2));
                }
            }
            try (PreparedStatement byTime = c.prepareStatement("DELETE FROM events WHERE user_id = ? AND seq < ? "
                    + "AND created_at < ?");
                    PreparedStatement byCount = c.prepareStatement("DELETE FROM events WHERE user_id = ? AND seq <= ?")) {
                for (Map.Entry<String, Long> user : newest.entrySet()) {
                    byTime.setString(1, user.getKey());
                    byTime.setLong(2, user.getValue());
                    byTime.setLong(3, olderThanMs);
                    n += byTime.executeUpdate();
                    if (user.getValue() > keep) {
                        byCount.setString(1, user.getKey());
                        byCount.setLong(2, user.getValue() - keep);
                        n += byCount.executeUpdate();
                    }
                }
            }
        }
        return n;
    }

    /** @return the user's newest seq, 0 if the log is empty */
    public long head(String userId) throws SQLException {
        // heads only grow and are put before an event is delivered, so the cached value is never
        // behind anything a connection has seen; the lock is needed only to load it
        Long cached = heads.get(userId);
        if (cached != null) {
            return cached;
        }
        ReentrantLock lock = lock(userId);
        lock.lock();
        try {
            return headLocked(userId);
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the user's stripe lock. */
    private long headLocked(String userId) throws SQLException {
        Long cached = heads.get(userId);
        if (cached != null) {
            return cached;
        }
        long head;
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT MAX(seq) FROM events WHERE user_id = ?")) {
            p.setString(1, userId);
            try (ResultSet r = p.executeQuery()) {
                head = r.next() ? r.getLong(1) : 0;
            }
        }
        heads.put(userId, head);
        return head;
    }

    private static List<Event> readAfter(Connection c, String userId, long after) throws SQLException {
        List<Event> result = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT seq, event_type, event_data, created_at FROM events "
                + "WHERE user_id = ? AND seq > ? ORDER BY seq")) {
            p.setString(1, userId);
            p.setLong(2, after);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    result.add(new Event(userId, r.getLong(1), r.getString(2), r.getString(3), r.getLong(4)));
                }
            }
        }
        return result;
    }
}
