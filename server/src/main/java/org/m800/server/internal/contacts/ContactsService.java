package org.m800.server.internal.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.m800.server.internal.ws.RequestContext;

/**
 * Contacts, block lists and address-book matching (docs/protocol.md section 19). Every change of a
 * user's contacts or block list happens under the user's stripe lock and is appended to the user's
 * event log before the lock is released, so every device of the user sees the changes in the order of
 * their versions. Lock order: a stripe lock, then the event log's locks; never the other way round.
 * Thread-safe.
 */
final class ContactsService {
    static final int MAX_CONTACTS = 2_000;
    static final int MAX_ALIAS_CHARS = 100;
    static final int MAX_BLOCKED = 1_000;
    static final int MAX_MATCH_PER_REQUEST = 1_000;
    /** How far back an incremental list looks for profile changes, to cover changes committed late. */
    static final long PROFILE_SLACK_MS = 10_000;
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern CURSOR = Pattern.compile("([0-9]{1,18})\\.([0-9]{1,18})");
    private static final int STRIPES = 64;
    private static final int IN_CHUNK = 500;

    private final Database database;
    private final EventLog events;
    private final Clock clock;
    private final BlockList blocks;
    private final ContactIndex contactIndex;
    private final PresenceService presence;
    private final MatchLimiter matchLimiter;
    private final Object[] stripes = new Object[STRIPES];

    ContactsService(Database database, EventLog events, Clock clock, BlockList blocks, ContactIndex contactIndex,
            PresenceService presence, MatchLimiter matchLimiter) {
        this.database = database;
        this.events = events;
        this.clock = clock;
        this.blocks = blocks;
        this.contactIndex = contactIndex;
        this.presence = presence;
        this.matchLimiter = matchLimiter;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    private Object stripe(String userId) {
        return stripes[Math.floorMod(userId.hashCode(), STRIPES)];
    }

    /** Work in one transaction that may refuse with a WireException (rolled back). */
    private interface Tx<T> {
        T run(Connection c) throws SQLException, WireException;
    }

    private <T> T tx(Tx<T> work) throws SQLException, WireException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | WireException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static String requireOther(RequestContext ctx, ObjectNode data, String what) throws WireException {
        String userId = Fields.requiredText(data, "userId", 1, 64, null);
        if (userId.equals(ctx.userId())) {
            throw WireException.invalid("userId", "SELF", "you cannot " + what + " yourself");
        }
        return userId;
    }

    /** An alias: absent is null, empty or JSON null clears. */
    private static String alias(ObjectNode data) throws WireException {
        String a = Fields.optionalText(data, "alias", 0, MAX_ALIAS_CHARS, null);
        return a == null || a.isBlank() ? null : a.strip();
    }

    // ---------------------------------------------------------------- contacts

    private record Row(String alias, boolean removed, long addedAt, long updatedAt) {
    }

    private static Row row(Connection c, String owner, String contact) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT alias, removed, added_at, updated_at FROM contacts "
                + "WHERE owner_id = ? AND contact_id = ?")) {
            p.setString(1, owner);
            p.setString(2, contact);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? new Row(r.getString(1), r.getBoolean(2), r.getLong(3), r.getLong(4)) : null;
            }
        }
    }

    private static long nextVersion(Connection c, String owner) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE contact_versions SET version = version + 1 WHERE owner_id = ?")) {
            p.setString(1, owner);
            if (p.executeUpdate() == 0) {
                try (PreparedStatement i = c.prepareStatement(
                        "INSERT INTO contact_versions (owner_id, version) VALUES (?, 1)")) {
                    i.setString(1, owner);
                    i.executeUpdate();
                }
                return 1;
            }
        }
        return currentVersion(c, owner);
    }

    private static long currentVersion(Connection c, String owner) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT version FROM contact_versions WHERE owner_id = ?")) {
            p.setString(1, owner);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    private static ObjectNode contactJson(Users.User u, String alias, long addedAt, long updatedAt) {
        ObjectNode o = u.toJson();
        if (alias == null) {
            o.putNull("alias");
        } else {
            o.put("alias", alias);
        }
        o.put("addedAt", addedAt);
        o.put("updatedAt", updatedAt);
        return o;
    }

    private void changed(String owner, String change, String contactId, ObjectNode contact, long updatedAt)
            throws SQLException {
        ObjectNode e = Json.object();
        e.put("change", change);
        e.put("userId", contactId);
        if (contact != null) {
            e.set("contact", contact);
        }
        e.put("updatedAt", updatedAt);
        events.append(owner, "contact.updated", e);
    }

    /** {@code contact.add}: adds (or re-adds) a contact; an existing one only takes a new alias. */
    JsonNode add(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String owner = ctx.userId();
        String target = requireOther(ctx, data, "add");
        boolean aliasGiven = data.has("alias");
        String alias = alias(data);
        synchronized (stripe(owner)) {
            long now = clock.millis();
            Object[] out = tx(c -> {
                Users.User u = Users.require(c, ctx.application().carrier(), target, "userId");
                Row r = row(c, owner, target);
                if (r != null && !r.removed()) {
                    if (!aliasGiven || java.util.Objects.equals(alias, r.alias())) {
                        return new Object[] {contactJson(u, r.alias(), r.addedAt(), r.updatedAt()), null};
                    }
                    updateRow(c, owner, target, alias, false, r.addedAt(), now, nextVersion(c, owner));
                    return new Object[] {contactJson(u, alias, r.addedAt(), now), "alias"};
                }
                if (activeCount(c, owner) >= MAX_CONTACTS) {
                    throw WireException.invalid("userId", "TOO_LONG", "the contact list is full (at most "
                            + MAX_CONTACTS + " contacts)");
                }
                long version = nextVersion(c, owner);
                if (r == null) {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO contacts (owner_id, contact_id, alias, "
                            + "removed, added_at, updated_at, version) VALUES (?, ?, ?, FALSE, ?, ?, ?)")) {
                        p.setString(1, owner);
                        p.setString(2, target);
                        p.setString(3, alias);
                        p.setLong(4, now);
                        p.setLong(5, now);
                        p.setLong(6, version);
                        p.executeUpdate();
                    }
                } else {
                    updateRow(c, owner, target, alias, false, now, now, version);
                }
                return new Object[] {contactJson(u, alias, now, now), "added"};
            });
            ObjectNode contact = (ObjectNode) out[0];
            if (out[1] != null) {
                if (out[1].equals("added")) {
                    contactIndex.add(owner, target);
                    presence.contactsChanged(owner, target);
                }
                changed(owner, (String) out[1], target, contact, now);
            }
            return contact;
        }
    }

    private static void updateRow(Connection c, String owner, String target, String alias, boolean removed,
            long addedAt, long updatedAt, long version) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE contacts SET alias = ?, removed = ?, added_at = ?, "
                + "updated_at = ?, version = ? WHERE owner_id = ? AND contact_id = ?")) {
            p.setString(1, alias);
            p.setBoolean(2, removed);
            p.setLong(3, addedAt);
            p.setLong(4, updatedAt);
            p.setLong(5, version);
            p.setString(6, owner);
            p.setString(7, target);
            p.executeUpdate();
        }
    }

    private static int activeCount(Connection c, String owner) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT COUNT(*) FROM contacts WHERE owner_id = ? AND removed = FALSE")) {
            p.setString(1, owner);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static WireException notAContact(String userId) {
        return WireException.of(WireCode.NOT_FOUND, "NOT_A_CONTACT", "user " + userId + " is not a contact (userId)");
    }

    /** {@code contact.remove}. */
    JsonNode remove(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String owner = ctx.userId();
        String target = Fields.requiredText(data, "userId", 1, 64, null);
        synchronized (stripe(owner)) {
            long now = clock.millis();
            tx(c -> {
                Row r = row(c, owner, target);
                if (r == null || r.removed()) {
                    throw notAContact(target);
                }
                updateRow(c, owner, target, null, true, r.addedAt(), now, nextVersion(c, owner));
                return null;
            });
            contactIndex.remove(owner, target);
            presence.contactsChanged(owner, target);
            changed(owner, "removed", target, null, now);
            return Json.object().put("userId", target).put("removed", true).put("updatedAt", now);
        }
    }

    /** {@code contact.alias}: sets or clears (null or empty) the alias of a contact. */
    JsonNode setAlias(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String owner = ctx.userId();
        String target = Fields.requiredText(data, "userId", 1, 64, null);
        if (!data.has("alias")) {
            throw WireException.invalid("alias", "MISSING_FIELD", "alias is required (null or \"\" clears it)");
        }
        String alias = alias(data);
        synchronized (stripe(owner)) {
            long now = clock.millis();
            Object[] out = tx(c -> {
                Row r = row(c, owner, target);
                if (r == null || r.removed()) {
                    throw notAContact(target);
                }
                Users.User u = Users.require(c, ctx.application().carrier(), target, "userId");
                if (java.util.Objects.equals(alias, r.alias())) {
                    return new Object[] {contactJson(u, r.alias(), r.addedAt(), r.updatedAt()), false};
                }
                updateRow(c, owner, target, alias, false, r.addedAt(), now, nextVersion(c, owner));
                return new Object[] {contactJson(u, alias, r.addedAt(), now), true};
            });
            ObjectNode contact = (ObjectNode) out[0];
            if ((Boolean) out[1]) {
                changed(owner, "alias", target, contact, now);
            }
            return contact;
        }
    }

    /**
     * {@code contact.list}: the whole list, or with {@code since} (a cursor of an earlier answer) what
     * changed after it: contacts added or changed, removed ones, and contacts whose profile changed.
     */
    JsonNode list(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String owner = ctx.userId();
        String since = Fields.optionalText(data, "since", 1, 64, null);
        long sinceVersion = -1;
        long sinceTime = 0;
        if (since != null) {
            var m = CURSOR.matcher(since);
            if (!m.matches()) {
                throw WireException.invalid("since", "BAD_FIELD", "since must be a cursor of an earlier contact.list");
            }
            sinceVersion = Long.parseLong(m.group(1));
            sinceTime = Long.parseLong(m.group(2));
        }
        long now = clock.millis();
        ObjectNode answer = Json.object();
        try (Connection c = database.connection()) {
            // the version first: a change committed meanwhile is listed now and again next time, never skipped
            long version = currentVersion(c, owner);
            boolean full = sinceVersion < 0 || sinceVersion > version;
            ArrayNode contacts = answer.putArray("contacts");
            ArrayNode removed = answer.putArray("removed");
            String sql = "SELECT c.contact_id, c.alias, c.removed, c.added_at, c.updated_at, a.username, a.display_name, "
                    + "a.updated_at FROM contacts c JOIN accounts a ON a.id = c.contact_id WHERE c.owner_id = ? AND "
                    + (full ? "c.removed = FALSE" : "(c.version > ? OR (c.removed = FALSE AND a.updated_at >= ?))")
                    + " ORDER BY c.added_at, c.contact_id";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, owner);
                if (!full) {
                    p.setLong(2, sinceVersion);
                    p.setLong(3, sinceTime - PROFILE_SLACK_MS);
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        if (r.getBoolean(3)) {
                            removed.addObject().put("userId", r.getString(1)).put("updatedAt", r.getLong(5));
                        } else {
                            Users.User u = new Users.User(r.getString(1), r.getString(6), r.getString(7), r.getLong(8));
                            contacts.add(contactJson(u, r.getString(2), r.getLong(4), r.getLong(5)));
                        }
                    }
                }
            }
            answer.put("full", full);
            answer.put("cursor", version + "." + now);
        }
        return answer;
    }

    // ---------------------------------------------------------------- blocking

    /** {@code block.add}: blocks a user (again: no change). The blocked user is never told. */
    JsonNode block(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String owner = ctx.userId();
        String target = requireOther(ctx, data, "block");
        synchronized (stripe(owner)) {
            long now = clock.millis();
            Object[] out = tx(c -> {
                Users.User u = Users.require(c, ctx.application().carrier(), target, "userId");
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT created_at FROM contact_blocks WHERE owner_id = ? AND blocked_id = ?")) {
                    p.setString(1, owner);
                    p.setString(2, target);
                    try (ResultSet r = p.executeQuery()) {
                        if (r.next()) {
                            return new Object[] {blockedJson(u, r.getLong(1)), false};
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT COUNT(*) FROM contact_blocks WHERE owner_id = ?")) {
                    p.setString(1, owner);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        if (r.getInt(1) >= MAX_BLOCKED) {
                            throw WireException.invalid("userId", "TOO_LONG", "the block list is full (at most "
                                    + MAX_BLOCKED + " users)");
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO contact_blocks (owner_id, blocked_id, created_at) VALUES (?, ?, ?)")) {
                    p.setString(1, owner);
                    p.setString(2, target);
                    p.setLong(3, now);
                    p.executeUpdate();
                }
                return new Object[] {blockedJson(u, now), true};
            });
            ObjectNode answer = (ObjectNode) out[0];
            if ((Boolean) out[1]) {
                blocks.add(owner, target);
                events.append(owner, "block.updated", answer);
                presence.visibilityChanged(owner, target);
            }
            return answer;
        }
    }

    private static ObjectNode blockedJson(Users.User u, long blockedAt) {
        ObjectNode o = u.toJson();
        o.put("blocked", true);
        o.put("blockedAt", blockedAt);
        return o;
    }

    /** {@code block.remove}: unblocks (a user who is not blocked: no change). */
    JsonNode unblock(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String owner = ctx.userId();
        String target = requireOther(ctx, data, "unblock");
        synchronized (stripe(owner)) {
            Boolean was = tx(c -> {
                Users.require(c, ctx.application().carrier(), target, "userId");
                try (PreparedStatement p = c.prepareStatement(
                        "DELETE FROM contact_blocks WHERE owner_id = ? AND blocked_id = ?")) {
                    p.setString(1, owner);
                    p.setString(2, target);
                    return p.executeUpdate() > 0;
                }
            });
            ObjectNode answer = Json.object().put("userId", target).put("blocked", false);
            if (was) {
                blocks.remove(owner, target);
                events.append(owner, "block.updated", answer);
                presence.visibilityChanged(owner, target);
            }
            return answer;
        }
    }

    /** {@code block.list}. */
    JsonNode blockList(RequestContext ctx) throws SQLException {
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("blocked");
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT b.blocked_id, b.created_at, a.username, "
                        + "a.display_name, a.updated_at FROM contact_blocks b JOIN accounts a ON a.id = b.blocked_id "
                        + "WHERE b.owner_id = ? ORDER BY b.created_at, b.blocked_id")) {
            p.setString(1, ctx.userId());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    list.add(blockedJson(new Users.User(r.getString(1), r.getString(3), r.getString(4), r.getLong(5)),
                            r.getLong(2)));
                }
            }
        }
        return answer;
    }

    // ---------------------------------------------------------------- address book

    /**
     * {@code contact.match}: which of the E.164 numbers are the verified numbers of users of the
     * caller's carrier (the caller excluded). Nothing about the numbers is stored.
     */
    JsonNode match(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        JsonNode n = data.get("numbers");
        if (n == null || n.isNull()) {
            throw WireException.invalid("numbers", "MISSING_FIELD", "numbers is required: an array of E.164 numbers");
        }
        if (!n.isArray()) {
            throw WireException.invalid("numbers", "BAD_FIELD", "numbers must be an array of E.164 numbers");
        }
        if (n.size() > MAX_MATCH_PER_REQUEST) {
            throw WireException.invalid("numbers", "TOO_LONG", "numbers has " + n.size() + " entries; at most "
                    + MAX_MATCH_PER_REQUEST + " per request (split larger address books)");
        }
        Set<String> numbers = new LinkedHashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual() || !E164.matcher(e.textValue()).matches()) {
                throw WireException.invalid("numbers[" + i + "]", "INVALID_NUMBER", "numbers[" + i + "] "
                        + (e.isTextual() ? "'" + e.textValue() + "'" : e.getNodeType().name().toLowerCase())
                        + " is not an E.164 number (+ and 7 to 15 digits, no spaces)");
            }
            numbers.add(e.textValue());
        }
        matchLimiter.take(ctx.userId(), numbers.size());
        ObjectNode answer = Json.object();
        ArrayNode matches = answer.putArray("matches");
        List<String> all = new ArrayList<>(numbers);
        try (Connection c = database.connection()) {
            for (int from = 0; from < all.size(); from += IN_CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
                StringBuilder sql = new StringBuilder("SELECT p.phone, a.id, a.username, a.display_name "
                        + "FROM verification_proofs p JOIN accounts a ON a.id = p.account_id "
                        + "WHERE p.used_at IS NOT NULL AND a.carrier = ? AND a.id <> ? AND p.phone IN (");
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "?" : ", ?");
                }
                sql.append(") ORDER BY p.phone, a.id");
                try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                    p.setString(1, ctx.application().carrier());
                    p.setString(2, ctx.userId());
                    for (int i = 0; i < chunk.size(); i++) {
                        p.setString(3 + i, chunk.get(i));
                    }
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            ObjectNode m = matches.addObject();
                            m.put("phoneNumber", r.getString(1));
                            m.put("userId", r.getString(2));
                            m.put("username", r.getString(3));
                            m.put("displayName", r.getString(4));
                        }
                    }
                }
            }
        }
        return answer;
    }
}
