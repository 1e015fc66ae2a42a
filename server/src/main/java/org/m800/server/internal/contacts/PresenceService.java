package org.m800.server.internal.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireException;
import org.m800.server.internal.ws.ConnectionRegistry;
import org.m800.server.internal.ws.RequestContext;

/**
 * Presence (docs/protocol.md 19.3): who is online, away or offline, from the IM connections the
 * {@link ConnectionRegistry} reports (a dead connection leaves when the liveness check drops it), the
 * state each device (login session) chose, and each user's persisted settings (status text, whether
 * last seen is shown, last seen).
 *
 * <p>Threads and locks: {@code lock} guards the in-memory state and is a leaf (nothing is called
 * while it is held but in-memory work and the lock-free {@link BlockList}). Changes are queued under
 * it and fanned out in queue order by one drain at a time on the server's scheduler, which appends
 * {@code presence.updated} events and writes settings outside the lock. {@code subscribeLock}
 * serialises subscription writes and is taken before {@code lock}, never after. Thread-safe.
 */
final class PresenceService implements ConnectionRegistry.Listener {
    static final int MAX_TEXT_CHARS = 200;
    static final int MAX_SUBSCRIPTIONS = 2_000;
    static final int MAX_USERS_PER_REQUEST = 500;

    private static final class Device {
        int connections;
        boolean away;
    }

    /** Who may see a user's presence: its {@code visibility} setting, as on the wire. */
    static final String EVERYONE = "everyone";
    static final String CONTACTS = "contacts";
    static final String NOBODY = "nobody";

    private record Settings(String text, boolean showLastSeen, long lastSeen, String visibility) {
        static final Settings DEFAULT = new Settings("", true, 0, EVERYONE);
    }

    private sealed interface Item permits Publish, Visibility {
    }

    /** The user's presence may have changed: tell subscribers if it did; optionally the user and the disk. */
    private record Publish(String userId, boolean toSelf, boolean persist) implements Item {
    }

    /** The owner blocked or unblocked the viewer: tell the viewer (if subscribed) what it may now see. */
    private record Visibility(String ownerId, String viewerId) implements Item {
    }

    private record Delivery(String userId, JsonNode data) {
    }

    private final Database database;
    private final EventLog events;
    private final Clock clock;
    private final BlockList blocks;
    private final ContactIndex contacts;
    private final Executor fanOut;
    private final String imPath;
    private final Object subscribeLock = new Object();
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, Map<String, Device>> live = new HashMap<>();
    private final Map<String, Settings> settings = new HashMap<>();
    private final Map<String, Set<String>> subscribers = new HashMap<>();
    private final Map<String, Set<String>> subscriptions = new HashMap<>();
    private final Map<String, String> published = new HashMap<>();
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private boolean draining;

    PresenceService(Database database, EventLog events, Clock clock, BlockList blocks, ContactIndex contacts,
            Executor fanOut, String imPath) {
        this.database = database;
        this.events = events;
        this.clock = clock;
        this.blocks = blocks;
        this.contacts = contacts;
        this.fanOut = fanOut;
        this.imPath = imPath;
    }

    void load() throws SQLException {
        try (Connection c = database.connection()) {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT user_id, status_text, show_last_seen, last_seen, visibility FROM presence_settings");
                    ResultSet r = p.executeQuery()) {
                synchronized (lock) {
                    while (r.next()) {
                        settings.put(r.getString(1), new Settings(r.getString(2), r.getBoolean(3), r.getLong(4),
                                r.getString(5)));
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT subscriber_id, target_id FROM presence_subscriptions");
                    ResultSet r = p.executeQuery()) {
                synchronized (lock) {
                    while (r.next()) {
                        link(r.getString(1), r.getString(2));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- connections

    @Override
    public void opened(String userId, String sessionId, String path) {
        if (!imPath.equals(path) || userId == null) {
            return;
        }
        synchronized (lock) {
            live.computeIfAbsent(userId, k -> new HashMap<>()).computeIfAbsent(sessionId, k -> new Device()).connections++;
            queue(new Publish(userId, false, false));
        }
        kick();
    }

    @Override
    public void closed(String userId, String sessionId, String path) {
        if (!imPath.equals(path) || userId == null) {
            return;
        }
        synchronized (lock) {
            Map<String, Device> devices = live.get(userId);
            Device d = devices == null ? null : devices.get(sessionId);
            if (d == null) {
                return;
            }
            if (--d.connections <= 0) {
                devices.remove(sessionId);
            }
            boolean persist = false;
            if (devices.isEmpty()) {
                live.remove(userId);
                Settings s = settingsOf(userId);
                settings.put(userId, new Settings(s.text(), s.showLastSeen(), clock.millis(), s.visibility()));
                persist = true;
            }
            queue(new Publish(userId, false, persist));
        }
        kick();
    }

    /** The owner blocked or unblocked the viewer, or added it to or removed it from its contacts. */
    void visibilityChanged(String ownerId, String viewerId) {
        synchronized (lock) {
            queue(new Visibility(ownerId, viewerId));
        }
        kick();
    }

    /**
     * The owner added the viewer to its contacts or removed it: with the visibility {@code contacts}
     * the viewer (if subscribed) gains or loses the owner's presence. Call after the index changed.
     */
    void contactsChanged(String ownerId, String viewerId) {
        synchronized (lock) {
            if (!settingsOf(ownerId).visibility().equals(CONTACTS)) {
                return;
            }
            queue(new Visibility(ownerId, viewerId));
        }
        kick();
    }

    // ---------------------------------------------------------------- requests

    /**
     * {@code presence.set}: this device's state, and the user's status text, last-seen privacy and
     * visibility (who sees its presence at all).
     */
    JsonNode set(RequestContext ctx, ObjectNode data) throws WireException {
        String state = Fields.optionalText(data, "state", 1, 16, null);
        if (state != null && !state.equals("online") && !state.equals("away")) {
            throw WireException.invalid("state", "BAD_FIELD", "state must be \"online\" or \"away\"");
        }
        String text = Fields.optionalText(data, "text", 0, MAX_TEXT_CHARS, null);
        JsonNode show = data.get("showLastSeen");
        if (show != null && !show.isNull() && !show.isBoolean()) {
            throw WireException.invalid("showLastSeen", "BAD_FIELD", "showLastSeen must be true or false");
        }
        Boolean showLastSeen = show == null || show.isNull() ? null : show.booleanValue();
        String visibility = Fields.optionalText(data, "visibility", 1, 16, null);
        if (visibility != null && !visibility.equals(EVERYONE) && !visibility.equals(CONTACTS)
                && !visibility.equals(NOBODY)) {
            throw WireException.invalid("visibility", "BAD_FIELD",
                    "visibility must be \"everyone\", \"contacts\" or \"nobody\"");
        }
        if (state == null && text == null && showLastSeen == null && visibility == null) {
            throw WireException.invalid("state", "MISSING_FIELD",
                    "at least one of state, text, showLastSeen and visibility is required");
        }
        String user = ctx.userId();
        ObjectNode answer;
        synchronized (lock) {
            String deviceState = "online";
            Map<String, Device> devices = live.get(user);
            Device d = devices == null ? null : devices.get(ctx.sessionId());
            if (d != null) {
                if (state != null) {
                    d.away = state.equals("away");
                }
                deviceState = d.away ? "away" : "online";
            }
            boolean settingsChanged = false;
            String oldVisibility = null;
            if (text != null || showLastSeen != null || visibility != null) {
                Settings s = settingsOf(user);
                Settings n = new Settings(text == null ? s.text() : text,
                        showLastSeen == null ? s.showLastSeen() : showLastSeen, s.lastSeen(),
                        visibility == null ? s.visibility() : visibility);
                if (!n.equals(s)) {
                    settings.put(user, n);
                    settingsChanged = true;
                    oldVisibility = n.visibility().equals(s.visibility()) ? null : s.visibility();
                }
            }
            queue(new Publish(user, settingsChanged, settingsChanged));
            if (oldVisibility != null) {
                // each subscriber who gains or loses the presence is told once what it may now see
                for (String viewer : subscribers.getOrDefault(user, Set.of())) {
                    if (maySee(user, viewer, oldVisibility) != maySee(user, viewer)) {
                        queue(new Visibility(user, viewer));
                    }
                }
            }
            answer = selfView(user);
            answer.put("deviceState", deviceState);
        }
        kick();
        return answer;
    }

    private List<String> userIds(RequestContext ctx, ObjectNode data, boolean checkExist)
            throws WireException, SQLException {
        JsonNode n = data.get("userIds");
        if (n == null || n.isNull()) {
            throw WireException.invalid("userIds", "MISSING_FIELD", "userIds is required: an array of user ids");
        }
        if (!n.isArray() || n.isEmpty()) {
            throw WireException.invalid("userIds", "BAD_FIELD", "userIds must be a non-empty array of user ids");
        }
        if (n.size() > MAX_USERS_PER_REQUEST) {
            throw WireException.invalid("userIds", "TOO_LONG", "userIds has " + n.size() + " entries; at most "
                    + MAX_USERS_PER_REQUEST + " per request");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual() || e.textValue().isEmpty() || e.textValue().length() > 64) {
                throw WireException.invalid("userIds[" + i + "]", "BAD_FIELD", "userIds[" + i + "] must be a user id");
            }
            ids.add(e.textValue());
        }
        if (checkExist) {
            try (Connection c = database.connection()) {
                int i = 0;
                for (String id : ids) {
                    if (id.equals(ctx.userId())) {
                        throw WireException.invalid("userIds[" + i + "]", "SELF", "you cannot subscribe to yourself "
                                + "(your own presence comes with presence.set)");
                    }
                    Users.require(c, ctx.application().carrier(), id, "userIds[" + i + "]");
                    i++;
                }
            }
        }
        return new ArrayList<>(ids);
    }

    /** {@code presence.subscribe}: the caller gets {@code presence.updated} for these users from now on. */
    JsonNode subscribe(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        List<String> ids = userIds(ctx, data, true);
        String me = ctx.userId();
        synchronized (subscribeLock) {
            List<String> fresh = new ArrayList<>();
            synchronized (lock) {
                Set<String> mine = subscriptions.getOrDefault(me, Set.of());
                for (String id : ids) {
                    if (!mine.contains(id)) {
                        fresh.add(id);
                    }
                }
                if (mine.size() + fresh.size() > MAX_SUBSCRIPTIONS) {
                    throw WireException.invalid("userIds", "TOO_LONG", "at most " + MAX_SUBSCRIPTIONS
                            + " presence subscriptions per user (" + mine.size() + " now)");
                }
            }
            long now = clock.millis();
            try (Connection c = database.connection();
                    PreparedStatement p = c.prepareStatement("INSERT INTO presence_subscriptions "
                            + "(subscriber_id, target_id, created_at) VALUES (?, ?, ?)")) {
                for (String id : fresh) {
                    p.setString(1, me);
                    p.setString(2, id);
                    p.setLong(3, now);
                    p.addBatch();
                }
                p.executeBatch();
            }
            synchronized (lock) {
                fresh.forEach(id -> link(me, id));
                return views(me, ids);
            }
        }
    }

    /** {@code presence.unsubscribe}. */
    JsonNode unsubscribe(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        List<String> ids = userIds(ctx, data, false);
        String me = ctx.userId();
        synchronized (subscribeLock) {
            try (Connection c = database.connection();
                    PreparedStatement p = c.prepareStatement(
                            "DELETE FROM presence_subscriptions WHERE subscriber_id = ? AND target_id = ?")) {
                for (String id : ids) {
                    p.setString(1, me);
                    p.setString(2, id);
                    p.addBatch();
                }
                p.executeBatch();
            }
            synchronized (lock) {
                ids.forEach(id -> unlink(me, id));
            }
        }
        ObjectNode answer = Json.object();
        ArrayNode a = answer.putArray("userIds");
        ids.forEach(a::add);
        return answer;
    }

    /** {@code presence.get}: the presence of users now, without subscribing. */
    JsonNode get(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        List<String> ids = userIds(ctx, data, true);
        synchronized (lock) {
            return views(ctx.userId(), ids);
        }
    }

    /** {@code presence.subscriptions}: whom the caller subscribes to. */
    JsonNode subscriptions(RequestContext ctx) {
        ObjectNode answer = Json.object();
        ArrayNode a = answer.putArray("userIds");
        synchronized (lock) {
            subscriptions.getOrDefault(ctx.userId(), Set.of()).stream().sorted().forEach(a::add);
        }
        return answer;
    }

    // ---------------------------------------------------------------- views (lock held)

    private Settings settingsOf(String userId) {
        return settings.getOrDefault(userId, Settings.DEFAULT);
    }

    private String stateOf(String userId) {
        Map<String, Device> devices = live.get(userId);
        if (devices == null || devices.isEmpty()) {
            return "offline";
        }
        for (Device d : devices.values()) {
            if (!d.away) {
                return "online";
            }
        }
        return "away";
    }

    private ObjectNode publicView(String userId) {
        Settings s = settingsOf(userId);
        String state = stateOf(userId);
        ObjectNode o = Json.object();
        o.put("userId", userId);
        o.put("state", state);
        o.put("text", s.text());
        if (state.equals("offline") && s.showLastSeen() && s.lastSeen() > 0) {
            o.put("lastSeen", s.lastSeen());
        } else {
            o.putNull("lastSeen");
        }
        return o;
    }

    /**
     * What a user sees who may not see {@code userId}'s presence (blocked by it, or not in its audience):
     * offline, no text, no last seen, the same as for a user who is offline without a status text.
     */
    private static ObjectNode hiddenView(String userId) {
        ObjectNode o = Json.object();
        o.put("userId", userId);
        o.put("state", "offline");
        o.put("text", "");
        o.putNull("lastSeen");
        return o;
    }

    private ObjectNode viewFor(String target, String viewer) {
        return maySee(target, viewer) ? publicView(target) : hiddenView(target);
    }

    /** Whether {@code viewer} may see {@code owner}'s presence: not blocked, and in the owner's audience. */
    private boolean maySee(String owner, String viewer) {
        return maySee(owner, viewer, settingsOf(owner).visibility());
    }

    private boolean maySee(String owner, String viewer, String visibility) {
        if (blocks.blocks(owner, viewer)) {
            return false;
        }
        return switch (visibility) {
            case NOBODY -> false;
            case CONTACTS -> contacts.has(owner, viewer);
            default -> true;
        };
    }

    private ObjectNode selfView(String userId) {
        Settings s = settingsOf(userId);
        ObjectNode o = publicView(userId);
        o.put("showLastSeen", s.showLastSeen());
        o.put("visibility", s.visibility());
        if (s.lastSeen() > 0) {
            o.put("lastSeen", s.lastSeen());
        }
        return o;
    }

    private ObjectNode views(String viewer, List<String> ids) {
        ObjectNode answer = Json.object();
        ArrayNode a = answer.putArray("presences");
        ids.forEach(id -> a.add(viewFor(id, viewer)));
        return answer;
    }

    private void link(String subscriber, String target) {
        subscriptions.computeIfAbsent(subscriber, k -> new HashSet<>()).add(target);
        subscribers.computeIfAbsent(target, k -> new HashSet<>()).add(subscriber);
    }

    private void unlink(String subscriber, String target) {
        Set<String> s = subscriptions.get(subscriber);
        if (s != null && s.remove(target) && s.isEmpty()) {
            subscriptions.remove(subscriber);
        }
        Set<String> t = subscribers.get(target);
        if (t != null && t.remove(subscriber) && t.isEmpty()) {
            subscribers.remove(target);
        }
    }

    // ---------------------------------------------------------------- fan-out

    /** Lock held. */
    private void queue(Item item) {
        queue.add(item);
    }

    /** Starts the drain if it is not running. Lock not held. */
    private void kick() {
        synchronized (lock) {
            if (draining || queue.isEmpty()) {
                return;
            }
            draining = true;
        }
        try {
            fanOut.execute(this::drain);
        } catch (RejectedExecutionException stopping) {
            synchronized (lock) {
                draining = false;
                queue.clear();
            }
        }
    }

    private void drain() {
        while (true) {
            List<Delivery> out = new ArrayList<>();
            Settings persist = null;
            String persistUser = null;
            synchronized (lock) {
                Item item = queue.poll();
                if (item == null) {
                    draining = false;
                    return;
                }
                if (item instanceof Publish p) {
                    ObjectNode view = publicView(p.userId());
                    String json = Json.write(view);
                    if (!json.equals(published.put(p.userId(), json))) {
                        for (String s : subscribers.getOrDefault(p.userId(), Set.of())) {
                            if (maySee(p.userId(), s)) {
                                out.add(new Delivery(s, view));
                            }
                        }
                    }
                    if (p.toSelf()) {
                        out.add(new Delivery(p.userId(), selfView(p.userId())));
                    }
                    if (p.persist()) {
                        persist = settingsOf(p.userId());
                        persistUser = p.userId();
                    }
                } else if (item instanceof Visibility v) {
                    if (subscriptions.getOrDefault(v.viewerId(), Set.of()).contains(v.ownerId())) {
                        out.add(new Delivery(v.viewerId(), viewFor(v.ownerId(), v.viewerId())));
                    }
                }
            }
            try {
                if (persist != null) {
                    write(persistUser, persist);
                }
                for (Delivery d : out) {
                    events.append(d.userId(), "presence.updated", d.data());
                }
            } catch (SQLException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(PresenceService.class).warn("Presence fan-out failed", e);
            }
        }
    }

    private void write(String userId, Settings s) throws SQLException {
        try (Connection c = database.connection()) {
            try (PreparedStatement p = c.prepareStatement("UPDATE presence_settings SET status_text = ?, "
                    + "show_last_seen = ?, last_seen = ?, visibility = ? WHERE user_id = ?")) {
                p.setString(1, s.text());
                p.setBoolean(2, s.showLastSeen());
                p.setLong(3, s.lastSeen());
                p.setString(4, s.visibility());
                p.setString(5, userId);
                if (p.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO presence_settings "
                    + "(user_id, status_text, show_last_seen, last_seen, visibility) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, userId);
                p.setString(2, s.text());
                p.setBoolean(3, s.showLastSeen());
                p.setLong(4, s.lastSeen());
                p.setString(5, s.visibility());
                p.executeUpdate();
            }
        }
    }
}
