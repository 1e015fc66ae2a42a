package org.m800.server.internal.contacts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/** Looks users up within a carrier: a user of another carrier is as unknown as one that does not exist. */
final class Users {
    private Users() {
    }

    /** A user as others see it. */
    record User(String userId, String username, String displayName, long updatedAt) {
        ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("userId", userId);
            o.put("username", username);
            o.put("displayName", displayName);
            return o;
        }
    }

    /** @return the user, or null */
    static User find(Connection c, String carrier, String userId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT username, display_name, updated_at FROM accounts WHERE id = ? AND carrier = ?")) {
            p.setString(1, userId);
            p.setString(2, carrier);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? new User(userId, r.getString(1), r.getString(2), r.getLong(3)) : null;
            }
        }
    }

    /** @return the user; NOT_FOUND/NO_SUCH_USER naming the field if there is none in the carrier */
    static User require(Connection c, String carrier, String userId, String field) throws SQLException, WireException {
        User u = find(c, carrier, userId);
        if (u == null) {
            WireException e = WireException.of(WireCode.NOT_FOUND, "NO_SUCH_USER", "no user " + userId + " (" + field + ")");
            throw e;
        }
        return u;
    }
}
