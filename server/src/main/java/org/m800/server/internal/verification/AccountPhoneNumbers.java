package org.m800.server.internal.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.regex.Pattern;
import org.m800.server.internal.auth.Tokens;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.m800.server.internal.ws.RequestContext;

/**
 * The verified phone numbers of a logged-in user (docs/protocol.md section 11.8): {@code phone.attach}
 * redeems a verification proof for the caller's account, as sign-up does, so that address-book
 * matching finds a number verified after sign-up; {@code phone.remove} detaches one; {@code phone.list}
 * lists them. A proof is redeemed once, only by a user of the application that verified the number.
 */
final class AccountPhoneNumbers {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private final Database database;
    private final Clock clock;

    AccountPhoneNumbers(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** {@code phone.attach {proof}}: the number of the proof, now the caller's. */
    JsonNode attach(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String proof = Fields.requiredText(data, "proof", 1, 200, null);
        String phone = database.inTransaction(c -> {
            long now = clock.millis();
            try (PreparedStatement p = c.prepareStatement("UPDATE verification_proofs SET used_at = ?, account_id = ? "
                    + "WHERE token_hash = ? AND app_key = ? AND used_at IS NULL AND expires_at > ?")) {
                p.setLong(1, now);
                p.setString(2, ctx.userId());
                p.setString(3, Tokens.hash(proof));
                p.setString(4, ctx.application().applicationKey());
                p.setLong(5, now);
                if (p.executeUpdate() != 1) {
                    return null;
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT phone FROM verification_proofs WHERE token_hash = ?")) {
                p.setString(1, Tokens.hash(proof));
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getString(1);
                }
            }
        });
        if (phone == null) {
            throw WireException.invalid("proof", "PROOF_INVALID", "proof is unknown, expired or already used");
        }
        return Json.object().put("phoneNumber", phone);
    }

    /** {@code phone.remove {phoneNumber}}: detaches a number of the caller's; NOT_FOUND if it is none. */
    JsonNode remove(RequestContext ctx, ObjectNode data) throws WireException, SQLException {
        String phone = Fields.requiredText(data, "phoneNumber", 1, 32, null);
        if (!E164.matcher(phone).matches()) {
            throw WireException.invalid("phoneNumber", "INVALID_NUMBER", "phoneNumber '" + phone
                    + "' is not an E.164 number (+ and 7 to 15 digits, no spaces)");
        }
        int removed = database.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM verification_proofs WHERE account_id = ? "
                    + "AND phone = ? AND used_at IS NOT NULL")) {
                p.setString(1, ctx.userId());
                p.setString(2, phone);
                return p.executeUpdate();
            }
        });
        if (removed == 0) {
            throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_NUMBER", phone + " is not a verified number of yours");
        }
        return Json.object().put("phoneNumber", phone).put("removed", true);
    }

    /** {@code phone.list}: the caller's verified numbers, sorted. */
    JsonNode list(RequestContext ctx) throws SQLException {
        ObjectNode answer = Json.object();
        ArrayNode numbers = answer.putArray("phoneNumbers");
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT DISTINCT phone FROM verification_proofs "
                        + "WHERE account_id = ? AND used_at IS NOT NULL ORDER BY phone")) {
            p.setString(1, ctx.userId());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    numbers.add(r.getString(1));
                }
            }
        }
        return answer;
    }
}
