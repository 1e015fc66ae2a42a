package org.m800.server.internal.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import org.m800.server.ApplicationRegistration;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks application signatures (docs/protocol.md section 4.3) and remembers nonces in the database
 * so a replay is refused even after a restart. Thread-safe.
 */
public final class AppAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(AppAuthenticator.class);

    private final Applications applications;
    private final Database database;
    private final Clock clock;

    public AppAuthenticator(Applications applications, Database database, Clock clock) {
        this.applications = applications;
        this.database = database;
        this.clock = clock;
    }

    /**
     * @return the application that signed the request
     * @throws WireException UNAUTHORIZED with the reason of the first failed check
     */
    public ApplicationRegistration authenticate(SignedRequest r) throws WireException {
        ApplicationRegistration app = checkHeaders(r);
        long timestamp = Long.parseLong(r.timestamp());
        String expected = Signatures.sign(app.applicationSecret(), Signatures.canonical(app.applicationKey(),
                r.method(), r.path(), timestamp, r.nonce(), r.bodyHash()));
        if (!Signatures.constantTimeEquals(expected, r.signature().toLowerCase(java.util.Locale.ROOT))) {
            LOG.debug("Bad signature from application {} for {} {}", app.applicationKey(), r.method(), r.path());
            throw WireException.unauthorized("BAD_SIGNATURE", "signature does not match");
        }
        recordNonce(app.applicationKey(), r.nonce());
        return app;
    }

    /**
     * The checks that need no body (section 4.3, all but the signature and the nonce's novelty): an
     * HTTP request that fails them is answered before its body is read.
     *
     * @param r the request; its body hash is not used
     * @return the application the key names
     * @throws WireException UNAUTHORIZED with the reason of the first failed check
     */
    public ApplicationRegistration checkHeaders(SignedRequest r) throws WireException {
        if (r.applicationKey() == null || r.timestamp() == null || r.nonce() == null || r.signature() == null) {
            throw WireException.unauthorized("MISSING_APPLICATION_AUTH",
                    "application key, timestamp, nonce and signature are required");
        }
        if (!Limits.NONCE.matcher(r.nonce()).matches()) {
            throw WireException.unauthorized("MISSING_APPLICATION_AUTH",
                    "nonce must be 16 to 64 characters [A-Za-z0-9_-]");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(r.timestamp());
        } catch (NumberFormatException e) {
            throw WireException.unauthorized("MISSING_APPLICATION_AUTH", "timestamp must be epoch seconds");
        }
        ApplicationRegistration app = applications.byKey(r.applicationKey()).orElseThrow(
                () -> WireException.unauthorized("UNKNOWN_APPLICATION", "unknown application key"));
        long nowSeconds = clock.millis() / 1000;
        if (Math.abs(nowSeconds - timestamp) > Limits.CLOCK_SKEW.toSeconds()) {
            throw WireException.unauthorized("STALE_TIMESTAMP", "timestamp is more than "
                    + Limits.CLOCK_SKEW.toSeconds() + " s away from the server time " + nowSeconds);
        }
        return app;
    }

    private void recordNonce(String key, String nonce) throws WireException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement(
                        "INSERT INTO seen_nonces (app_key, nonce, seen_at) VALUES (?, ?, ?)")) {
            p.setString(1, key);
            p.setString(2, nonce);
            p.setLong(3, clock.millis());
            p.executeUpdate();
        } catch (SQLException e) {
            if (Database.isDuplicateKey(e)) {
                throw WireException.unauthorized("REPLAYED_NONCE", "nonce was already used");
            }
            LOG.error("Cannot record a nonce", e);
            throw WireException.serverError("cannot record the nonce");
        }
    }

    /** Forgets nonces older than the replay window; their timestamps are stale anyway. */
    public void purgeOldNonces() throws SQLException {
        long cutoff = clock.millis() - Limits.NONCE_MEMORY.toMillis();
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("DELETE FROM seen_nonces WHERE seen_at < ?")) {
            p.setLong(1, cutoff);
            p.executeUpdate();
        }
    }
}
