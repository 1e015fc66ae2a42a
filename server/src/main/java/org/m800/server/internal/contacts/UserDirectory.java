package org.m800.server.internal.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import org.m800.server.internal.accounts.AccountService;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.m800.server.internal.ws.RequestContext;

/**
 * Finding people (docs/protocol.md section 19.8): {@code user.find} by exact username,
 * {@code user.search} by display-name prefix among the users who allow it, and
 * {@code user.discoverable}, that setting. Within the caller's carrier only; the caller is never
 * found, nor a user who blocked the caller; every look-up counts against {@link LookupLimiter}.
 */
final class UserDirectory {
    static final int MAX_RESULTS = 50;
    static final int DEFAULT_RESULTS = 20;
    /** Prefixes are at least this long, so that a search cannot list everyone a letter at a time. */
    static final int MIN_PREFIX = 2;

    private final Database database;
    private final Clock clock;
    private final BlockList blocks;
    private final LookupLimiter limiter;

    UserDirectory(Database database, Clock clock, BlockList blocks, LookupLimiter limiter) {
        this.database = database;
        this.clock = clock;
        this.blocks = blocks;
        this.limiter = limiter;
    }

    /** {@code user.find {username}}: the user of that exact username, or NOT_FOUND/NO_SUCH_USER. */
    JsonNode find(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String username = Fields.requiredText(data, "username", 1, 64, null).toLowerCase(Locale.ROOT);
        if (!AccountService.USERNAME.matcher(username).matches()) {
            throw WireException.invalid("username", "BAD_FIELD", "username must be 3 to 64 of a-z 0-9 . _ - "
                    + "(starting with a letter or digit)");
        }
        limiter.take(ctx.userId());
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT id, username, display_name FROM accounts "
                        + "WHERE carrier = ? AND username = ?")) {
            p.setString(1, ctx.application().carrier());
            p.setString(2, username);
            try (ResultSet r = p.executeQuery()) {
                if (r.next() && visible(ctx, r.getString(1))) {
                    return Json.object().set("user", user(r));
                }
            }
        }
        throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_USER", "no user named " + username);
    }

    /**
     * {@code user.search {displayNamePrefix, limit?}}: users whose display name starts with the prefix
     * (case-insensitive) and who allow it, by display name; at most {@value #MAX_RESULTS}.
     */
    JsonNode search(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String prefix = Fields.requiredText(data, "displayNamePrefix", MIN_PREFIX, 100, null).strip();
        if (prefix.length() < MIN_PREFIX) {
            throw WireException.invalid("displayNamePrefix", "TOO_SHORT", "displayNamePrefix must have at least "
                    + MIN_PREFIX + " characters besides spaces");
        }
        Long limit = Fields.optionalNonNegativeLong(data, "limit");
        if (limit != null && (limit < 1 || limit > MAX_RESULTS)) {
            throw WireException.invalid("limit", "OUT_OF_RANGE", "limit must be 1 to " + MAX_RESULTS);
        }
        int max = limit == null ? DEFAULT_RESULTS : limit.intValue();
        limiter.take(ctx.userId());
        ObjectNode answer = Json.object();
        ArrayNode users = answer.putArray("users");
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT a.id, a.username, a.display_name FROM accounts a "
                        + "JOIN user_discovery d ON d.account_id = a.id WHERE d.by_display_name = TRUE "
                        + "AND a.carrier = ? AND a.id <> ? AND LOWER(a.display_name) LIKE ? ESCAPE '\\' "
                        + "ORDER BY LOWER(a.display_name), a.id")) {
            p.setString(1, ctx.application().carrier());
            p.setString(2, ctx.userId());
            p.setString(3, likePrefix(prefix.toLowerCase(Locale.ROOT)));
            // a few more rows than asked, for the ones hidden by a block
            p.setMaxRows(max + 50);
            try (ResultSet r = p.executeQuery()) {
                while (r.next() && users.size() < max) {
                    if (visible(ctx, r.getString(1))) {
                        users.add(user(r));
                    }
                }
            }
        }
        return answer;
    }

    /**
     * {@code user.discoverable {byDisplayName?}}: sets whether others may find the caller by a
     * display-name prefix (off until set); without the field, answers the setting.
     */
    JsonNode discoverable(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        JsonNode value = data.get("byDisplayName");
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw WireException.invalid("byDisplayName", "BAD_FIELD", "byDisplayName must be true or false");
        }
        boolean now;
        if (value == null || value.isNull()) {
            try (Connection c = database.connection();
                    PreparedStatement p = c.prepareStatement(
                            "SELECT by_display_name FROM user_discovery WHERE account_id = ?")) {
                p.setString(1, ctx.userId());
                try (ResultSet r = p.executeQuery()) {
                    now = r.next() && r.getBoolean(1);
                }
            }
        } else {
            now = value.booleanValue();
            database.inTransaction(c -> {
                // update, else insert: portable (no MERGE or ON CONFLICT); a concurrent first insert of the
                // same user fails the request with a duplicate key rather than losing a write
                try (PreparedStatement p = c.prepareStatement(
                        "UPDATE user_discovery SET by_display_name = ?, updated_at = ? WHERE account_id = ?")) {
                    p.setBoolean(1, now);
                    p.setLong(2, clock.millis());
                    p.setString(3, ctx.userId());
                    if (p.executeUpdate() == 1) {
                        return null;
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO user_discovery (account_id, by_display_name, updated_at) VALUES (?, ?, ?)")) {
                    p.setString(1, ctx.userId());
                    p.setBoolean(2, now);
                    p.setLong(3, clock.millis());
                    p.executeUpdate();
                }
                return null;
            });
        }
        return Json.object().put("byDisplayName", now);
    }

    /** A user who blocked the caller is not found, as one who does not exist. */
    private boolean visible(RequestContext ctx, String userId) {
        return !userId.equals(ctx.userId()) && !blocks.blocks(userId, ctx.userId());
    }

    private static ObjectNode user(ResultSet r) throws SQLException {
        ObjectNode o = Json.object();
        o.put("userId", r.getString(1));
        o.put("username", r.getString(2));
        o.put("displayName", r.getString(3));
        return o;
    }

    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
