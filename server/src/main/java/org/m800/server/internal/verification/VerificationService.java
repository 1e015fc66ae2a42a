package org.m800.server.internal.verification;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.m800.server.ApplicationRegistration;
import org.m800.server.VerificationSettings;
import org.m800.server.VerificationSettings.Method;
import org.m800.server.internal.auth.Tokens;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of phone-number verification (docs/protocol.md section 11): sessions, codes, attempts,
 * cooldowns, rate limits, delivery and proofs. Codes and proofs are stored only hashed and never
 * logged. Thread-safe.
 */
final class VerificationService {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationService.class);

    /** Session states as stored; EXPIRED is computed from expires_at. */
    static final String PENDING = "PENDING";
    static final String VERIFIED = "VERIFIED";
    static final String LOCKED = "LOCKED";
    static final String CANCELLED = "CANCELLED";
    static final String EXPIRED = "EXPIRED";
    static final String FAILED = "FAILED";

    private final Database database;
    private final Clock clock;
    private final Codes codes = new Codes();
    private final Tokens tokens = new Tokens();
    private final OutboxProvider outbox = new OutboxProvider();
    private final Map<VerificationSettings.Gateway, DeliveryProvider> gateways = new ConcurrentHashMap<>();
    private final Object limitLock = new Object();
    private volatile HttpClient http;

    VerificationService(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    OutboxProvider outbox() {
        return outbox;
    }

    // ----- start -----

    ObjectNode start(ApplicationRegistration app, String phoneInput, Method method, String locale, String address)
            throws WireException, SQLException {
        VerificationSettings s = app.verification();
        if (!s.methods().contains(method)) {
            throw WireException.invalid("method", "UNSUPPORTED_METHOD", "method " + method
                    + " is not offered to this application; offered: " + s.methods());
        }
        String phone = PhoneNumbers.check(phoneInput, method, s.regions());
        String sessionId = tokens.newId("v-");
        String code = codes.newCode(s.codeLength());
        String salt = codes.newSalt();
        long now = clock.millis();
        synchronized (limitLock) {
            checkSendLimits(app, phone, address, now);
            database.inTransaction(c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO verification_sessions (id, app_key, phone, "
                        + "method, locale, code_salt, code_hash, status, delivery, attempts, resends, created_at, "
                        + "last_sent_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)")) {
                    p.setString(1, sessionId);
                    p.setString(2, app.applicationKey());
                    p.setString(3, phone);
                    p.setString(4, method.name());
                    p.setString(5, locale);
                    p.setString(6, salt);
                    p.setString(7, Codes.hash(salt, sessionId, code));
                    p.setString(8, PENDING);
                    p.setString(9, "SENDING");
                    p.setLong(10, now);
                    p.setLong(11, now);
                    p.setLong(12, now + s.codeLifetime().toMillis());
                    p.executeUpdate();
                }
                recordSend(c, sessionId, app, phone, address, "start", now);
                return null;
            });
        }
        deliver(app, sessionId, phone, method, code, locale, now);
        LOG.info("Verification session {} started by {} ({})", sessionId, app.applicationKey(), method);
        return view(app, load(app, sessionId));
    }

    /** Every code sent, first or resent, counts against the address, the application and the number. */
    private void checkSendLimits(ApplicationRegistration app, String phone, String address, long now)
            throws WireException, SQLException {
        VerificationSettings s = app.verification();
        long since = now - s.rateWindow().toMillis();
        Window byAddress = window("address = ?", address, since);
        if (byAddress.count >= s.maxStartsPerAddress()) {
            throw WireException.rateLimited("ADDRESS_LIMIT", "too many verifications started from this address ("
                    + s.maxStartsPerAddress() + " per " + s.rateWindow().toMinutes() + " min)",
                    byAddress.oldest + s.rateWindow().toMillis() - now);
        }
        Window byApp = window("app_key = ?", app.applicationKey(), since);
        if (byApp.count >= s.maxStartsPerApplication()) {
            throw WireException.rateLimited("APPLICATION_LIMIT", "the application started too many verifications ("
                    + s.maxStartsPerApplication() + " per " + s.rateWindow().toMinutes() + " min)",
                    byApp.oldest + s.rateWindow().toMillis() - now);
        }
        checkNumberLimit(s, phone, now);
    }

    private void checkNumberLimit(VerificationSettings s, String phone, long now) throws WireException, SQLException {
        long since = now - s.rateWindow().toMillis();
        Window byNumber = window("phone = ?", phone, since);
        if (byNumber.count >= s.maxSendsPerNumber()) {
            throw WireException.rateLimited("NUMBER_LIMIT", "too many codes were sent to this number ("
                    + s.maxSendsPerNumber() + " per " + s.rateWindow().toMinutes() + " min)",
                    byNumber.oldest + s.rateWindow().toMillis() - now);
        }
    }

    private record Window(int count, long oldest) {
    }

    private Window window(String condition, String value, long since) throws SQLException {
        // every limit counts every code sent: starts and resends (an address had sent 80 texts an hour
        // through resends, an application 4 times its limit)
        String where = condition;
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT COUNT(*), MIN(sent_at) FROM verification_sends WHERE "
                        + where + " AND sent_at > ?")) {
            p.setString(1, value);
            p.setLong(2, since);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return new Window(r.getInt(1), r.getLong(2));
            }
        }
    }

    private void recordSend(Connection c, String sessionId, ApplicationRegistration app, String phone, String address,
            String kind, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO verification_sends (id, session_id, app_key, phone, "
                + "address, kind, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, tokens.newId("d-"));
            p.setString(2, sessionId);
            p.setString(3, app.applicationKey());
            p.setString(4, phone);
            p.setString(5, address == null ? "unknown" : address);
            p.setString(6, kind);
            p.setLong(7, now);
            p.executeUpdate();
        }
    }

    private void deliver(ApplicationRegistration app, String sessionId, String phone, Method method, String code,
            String locale, long now) throws SQLException {
        VerificationSettings s = app.verification();
        String caller = method == Method.FLASH_CALL ? s.flashCallPrefix() + code : null;
        DeliveryProvider.Delivery d = new DeliveryProvider.Delivery(sessionId, app.applicationKey(), phone, method,
                code, caller, locale, message(app, method, code, s), now);
        String result;
        try {
            result = provider(s).deliver(d).name();
        } catch (DeliveryProvider.DeliveryException e) {
            result = FAILED;
        }
        String delivery = result;
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("UPDATE verification_sessions SET delivery = ? WHERE id = ?")) {
            p.setString(1, delivery);
            p.setString(2, sessionId);
            p.executeUpdate();
        }
    }

    private static String message(ApplicationRegistration app, Method method, String code, VerificationSettings s) {
        long minutes = Math.max(1, s.codeLifetime().toMinutes());
        return switch (method) {
            case SMS -> "Your " + app.applicationIdentifier() + " verification code is " + code + ". It expires in "
                    + minutes + " min. Do not share it.";
            case VOICE_CALL -> "Your verification code is " + String.join(", ", code.split("")) + ". Again: "
                    + String.join(", ", code.split("")) + ".";
            case FLASH_CALL -> "Missed call from " + s.flashCallPrefix() + code;
        };
    }

    private DeliveryProvider provider(VerificationSettings s) {
        if (s.gateway() == null) {
            return outbox;
        }
        return gateways.computeIfAbsent(s.gateway(), g -> new HttpGatewayProvider(g, httpClient()));
    }

    private HttpClient httpClient() {
        HttpClient h = http;
        if (h == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
                }
                h = http;
            }
        }
        return h;
    }

    // ----- check -----

    private record CheckOutcome(boolean verified, int attemptsLeft, String proof, long proofExpiresAt,
            WireException refusal) {
    }

    ObjectNode check(ApplicationRegistration app, String sessionId, String code) throws WireException, SQLException {
        VerificationSettings s = app.verification();
        if (!code.matches("[0-9]{" + s.codeLength() + "}")) {
            throw WireException.invalid("code", "BAD_FIELD", "code must be " + s.codeLength() + " digits");
        }
        long now = clock.millis();
        CheckOutcome outcome = database.inTransaction(c -> {
            Session session = lockSession(c, app, sessionId);
            if (session == null) {
                return refusal(noSuchSession());
            }
            WireException closed = closedFor(session, now, "checked");
            if (closed != null) {
                return refusal(closed);
            }
            if (Codes.matches(session.salt, session.id, code, session.codeHash)) {
                try (PreparedStatement p = c.prepareStatement("UPDATE verification_sessions SET status = ?, "
                        + "finished_at = ? WHERE id = ?")) {
                    p.setString(1, VERIFIED);
                    p.setLong(2, now);
                    p.setString(3, session.id);
                    p.executeUpdate();
                }
                String proof = tokens.newToken();
                long proofExpires = now + s.proofLifetime().toMillis();
                try (PreparedStatement p = c.prepareStatement("INSERT INTO verification_proofs (token_hash, session_id, "
                        + "app_key, phone, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    p.setString(1, Tokens.hash(proof));
                    p.setString(2, session.id);
                    p.setString(3, app.applicationKey());
                    p.setString(4, session.phone);
                    p.setLong(5, now);
                    p.setLong(6, proofExpires);
                    p.executeUpdate();
                }
                return new CheckOutcome(true, s.maxAttempts() - session.attempts, proof, proofExpires, null);
            }
            int attempts = session.attempts + 1;
            boolean lock = attempts >= s.maxAttempts();
            try (PreparedStatement p = c.prepareStatement("UPDATE verification_sessions SET attempts = ?, status = ?, "
                    + "finished_at = ? WHERE id = ?")) {
                p.setInt(1, attempts);
                p.setString(2, lock ? LOCKED : PENDING);
                if (lock) {
                    p.setLong(3, now);
                } else {
                    p.setNull(3, java.sql.Types.BIGINT);
                }
                p.setString(4, session.id);
                p.executeUpdate();
            }
            int left = s.maxAttempts() - attempts;
            return new CheckOutcome(false, left, null, 0, null);
        });
        if (outcome.refusal != null) {
            throw outcome.refusal;
        }
        if (!outcome.verified) {
            throw WireException.unauthorized("WRONG_CODE", outcome.attemptsLeft == 0
                    ? "wrong code; no attempts left, the session is locked"
                    : "wrong code; " + outcome.attemptsLeft + " attempt" + (outcome.attemptsLeft == 1 ? "" : "s")
                            + " left");
        }
        LOG.info("Verification session {} verified", sessionId);
        ObjectNode answer = view(app, load(app, sessionId));
        answer.put("proof", outcome.proof).put("proofExpiresAt", outcome.proofExpiresAt);
        return answer;
    }

    private static CheckOutcome refusal(WireException e) {
        return new CheckOutcome(false, 0, null, 0, e);
    }

    /** @return why the session cannot be used any more, or null if it is pending and not expired */
    private static WireException closedFor(Session session, long now, String what) {
        return switch (session.status) {
            case VERIFIED -> WireException.of(WireCode.CONFLICT, "ALREADY_VERIFIED",
                    "the session is already verified and cannot be " + what);
            case LOCKED -> WireException.of(WireCode.CONFLICT, "SESSION_LOCKED",
                    "the session is locked after too many wrong codes; start a new one");
            case CANCELLED -> WireException.of(WireCode.CONFLICT, "SESSION_CANCELLED",
                    "the session was cancelled; start a new one");
            default -> now >= session.expiresAt ? WireException.of(WireCode.CONFLICT, "SESSION_EXPIRED",
                    "the code has expired; start a new session") : null;
        };
    }

    private static WireException noSuchSession() {
        return WireException.of(WireCode.NOT_FOUND, "NO_SUCH_SESSION", "no such verification session");
    }

    // ----- resend -----

    ObjectNode resend(ApplicationRegistration app, String sessionId, String address) throws WireException, SQLException {
        VerificationSettings s = app.verification();
        long now = clock.millis();
        String code = codes.newCode(s.codeLength());
        Session session;
        synchronized (limitLock) {
            session = database.inTransaction(c -> lockSession(c, app, sessionId));
            if (session == null) {
                throw noSuchSession();
            }
            WireException closed = closedFor(session, now, "resent");
            if (closed != null) {
                throw closed;
            }
            if (session.resends >= s.maxResends()) {
                throw WireException.of(WireCode.CONFLICT, "RESEND_LIMIT", "the code was resent " + s.maxResends()
                        + " times already; start a new session");
            }
            long ready = session.lastSentAt + s.resendCooldown().toMillis();
            if (now < ready && !FAILED.equals(session.delivery)) {
                throw WireException.rateLimited("RESEND_COOLDOWN", "a code was sent less than "
                        + s.resendCooldown().toSeconds() + " s ago", ready - now);
            }
            // a resend is a text (or call) like a start: it counts against the address and the application too
            checkSendLimits(app, session.phone, address, now);
            Session current = session;
            database.inTransaction(c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE verification_sessions SET code_hash = ?, "
                        + "resends = resends + 1, last_sent_at = ?, expires_at = ?, delivery = 'SENDING' WHERE id = ? "
                        + "AND status = ?")) {
                    p.setString(1, Codes.hash(current.salt, current.id, code));
                    p.setLong(2, now);
                    p.setLong(3, now + s.codeLifetime().toMillis());
                    p.setString(4, current.id);
                    p.setString(5, PENDING);
                    if (p.executeUpdate() != 1) {
                        throw new SQLException("verification session changed during resend");
                    }
                }
                recordSend(c, current.id, app, current.phone, address, "resend", now);
                return null;
            });
        }
        deliver(app, session.id, session.phone, session.method, code, session.locale, now);
        return view(app, load(app, sessionId));
    }

    // ----- cancel, status -----

    ObjectNode cancel(ApplicationRegistration app, String sessionId) throws WireException, SQLException {
        long now = clock.millis();
        WireException refusal = database.inTransaction(c -> {
            Session session = lockSession(c, app, sessionId);
            if (session == null) {
                return noSuchSession();
            }
            if (VERIFIED.equals(session.status)) {
                return WireException.of(WireCode.CONFLICT, "ALREADY_VERIFIED",
                        "the session is already verified and cannot be cancelled");
            }
            if (!CANCELLED.equals(session.status)) {
                try (PreparedStatement p = c.prepareStatement("UPDATE verification_sessions SET status = ?, "
                        + "finished_at = ? WHERE id = ?")) {
                    p.setString(1, CANCELLED);
                    p.setLong(2, now);
                    p.setString(3, session.id);
                    p.executeUpdate();
                }
            }
            return null;
        });
        if (refusal != null) {
            throw refusal;
        }
        return view(app, load(app, sessionId));
    }

    ObjectNode status(ApplicationRegistration app, String sessionId) throws WireException, SQLException {
        Session session = load(app, sessionId);
        if (session == null) {
            throw noSuchSession();
        }
        return view(app, session);
    }

    // ----- proofs (sign-up guard) -----

    /** Checks and uses up the proof inside the sign-up transaction; see {@code AccountService.SignUpGuard}. */
    void checkSignUp(Connection c, ApplicationRegistration app, String userId, String proof)
            throws SQLException, WireException {
        if (proof == null) {
            if (app.verification().requiredForSignUp()) {
                throw WireException.unauthorized("VERIFICATION_REQUIRED",
                        "this application requires a verified phone number: pass verificationProof");
            }
            return;
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE verification_proofs SET used_at = ?, account_id = ? "
                + "WHERE token_hash = ? AND app_key = ? AND used_at IS NULL AND expires_at > ?")) {
            long now = clock.millis();
            p.setLong(1, now);
            p.setString(2, userId);
            p.setString(3, Tokens.hash(proof));
            p.setString(4, app.applicationKey());
            p.setLong(5, now);
            if (p.executeUpdate() != 1) {
                throw WireException.unauthorized("PROOF_INVALID",
                        "verificationProof is unknown, expired or already used");
            }
        }
    }

    // ----- housekeeping -----

    void purge() throws SQLException {
        long now = clock.millis();
        try (Connection c = database.connection()) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM verification_sends WHERE sent_at < ?")) {
                p.setLong(1, now - VerificationSettings.MAX_RATE_WINDOW.toMillis());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM verification_sessions WHERE expires_at < ?")) {
                p.setLong(1, now - VerificationSettings.MAX_RATE_WINDOW.toMillis());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM verification_proofs WHERE expires_at < ? "
                    + "AND used_at IS NULL")) {
                p.setLong(1, now - VerificationSettings.MAX_RATE_WINDOW.toMillis());
                p.executeUpdate();
            }
        }
    }

    // ----- sessions -----

    private record Session(String id, String phone, Method method, String locale, String salt, String codeHash,
            String status, String delivery, int attempts, int resends, long lastSentAt, long expiresAt) {
    }

    private static final String COLUMNS = "id, phone, method, locale, code_salt, code_hash, status, delivery, "
            + "attempts, resends, last_sent_at, expires_at";

    private static Session lockSession(Connection c, ApplicationRegistration app, String id) throws SQLException {
        return select(c, app, id, " FOR UPDATE");
    }

    private Session load(ApplicationRegistration app, String id) throws SQLException {
        try (Connection c = database.connection()) {
            return select(c, app, id, "");
        }
    }

    private static Session select(Connection c, ApplicationRegistration app, String id, String suffix)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM verification_sessions WHERE id = ? "
                + "AND app_key = ?" + suffix)) {
            p.setString(1, id);
            p.setString(2, app.applicationKey());
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new Session(r.getString(1), r.getString(2), Method.valueOf(r.getString(3)), r.getString(4),
                        r.getString(5), r.getString(6), r.getString(7), r.getString(8), r.getInt(9), r.getInt(10),
                        r.getLong(11), r.getLong(12));
            }
        }
    }

    private ObjectNode view(ApplicationRegistration app, Session session) {
        VerificationSettings s = app.verification();
        long now = clock.millis();
        String status = PENDING.equals(session.status) && now >= session.expiresAt ? EXPIRED : session.status;
        ObjectNode o = Json.object().put("sessionId", session.id).put("phoneNumber", session.phone)
                .put("method", session.method.name()).put("status", status)
                .put("delivery", session.delivery.toUpperCase(Locale.ROOT)).put("codeLength", s.codeLength())
                .put("attemptsLeft", Math.max(0, s.maxAttempts() - session.attempts))
                .put("resendsLeft", Math.max(0, s.maxResends() - session.resends))
                .put("expiresAt", session.expiresAt)
                .put("resendAfter", FAILED.equals(session.delivery) ? now : session.lastSentAt + s.resendCooldown().toMillis())
                .put("serverTime", now);
        if (session.method == Method.FLASH_CALL) {
            o.put("callerPrefix", s.flashCallPrefix());
        }
        return o;
    }
}
