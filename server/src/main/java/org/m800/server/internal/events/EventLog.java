package org.m800.server.internal.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Json;

/**
 * The persisted per-user event log (docs/protocol.md section 8) and its live fan-out. Appending,
 * replaying and attaching for one user happen under one lock per user stripe, so a connection that
 * attaches gets every event exactly once: the replay and then the live ones, in order. A user's head
 * (newest seq) is the largest seq in {@code events}; events are never deleted, so it only grows, and
 * it is kept in memory after the first use. This server must be the only writer of its database.
 * Thread-safe.
 */
public final class EventLog {
    private static final int STRIPES = 64;

    private final Database database;
    private final Clock clock;
    private final Object[] locks = new Object[STRIPES];
    private final ConcurrentHashMap<String, Set<EventSink>> live = new ConcurrentHashMap<>();
    /** Newest seq per user, loaded on first use; written under the user's stripe lock. */
    private final ConcurrentHashMap<String, Long> heads = new ConcurrentHashMap<>();

    public EventLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    private Object lock(String userId) {
        return locks[Math.floorMod(userId.hashCode(), STRIPES)];
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
        long now = clock.millis();
        Event event;
        synchronized (lock(userId)) {
            long seq = headLocked(userId) + 1;
            // one INSERT, atomic by itself: the head is the newest seq in the log, kept in memory
            try (Connection c = database.connection();
                    PreparedStatement p = c.prepareStatement("INSERT INTO events "
                            + "(user_id, seq, event_type, event_data, created_at) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, userId);
                p.setLong(2, seq);
                p.setString(3, type);
                p.setString(4, json);
                p.setLong(5, now);
                p.executeUpdate();
            }
            heads.put(userId, seq);
            event = new Event(userId, seq, type, json, now);
            Set<EventSink> sinks = live.get(userId);
            if (sinks != null) {
                for (EventSink sink : sinks) {
                    sink.deliver(event, false);
                }
            }
        }
        return event;
    }

    /**
     * Attaches a live receiver: picks the resume point, replays the events after it, then keeps
     * delivering new ones until {@link #detach}.
     */
    public void attach(String userId, EventSink sink, ResumePlan plan) throws SQLException {
        synchronized (lock(userId)) {
            long head = headLocked(userId);
            long from = plan.resumeFrom(head);
            List<Event> replay;
            try (Connection c = database.connection()) {
                replay = readAfter(c, userId, from);
            }
            plan.started(head, from);
            for (Event e : replay) {
                sink.deliver(e, true);
            }
            live.computeIfAbsent(userId, k -> new CopyOnWriteArraySet<>()).add(sink);
        }
    }

    /** Stops live delivery to the receiver; does nothing if it is not attached. */
    public void detach(String userId, EventSink sink) {
        synchronized (lock(userId)) {
            Set<EventSink> sinks = live.get(userId);
            if (sinks != null) {
                sinks.remove(sink);
                if (sinks.isEmpty()) {
                    live.remove(userId);
                }
            }
        }
    }

    /** @return the user's newest seq, 0 if the log is empty */
    public long head(String userId) throws SQLException {
        // heads only grow and are put before an event is delivered, so the cached value is never
        // behind anything a connection has seen; the lock is needed only to load it
        Long cached = heads.get(userId);
        if (cached != null) {
            return cached;
        }
        synchronized (lock(userId)) {
            return headLocked(userId);
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
