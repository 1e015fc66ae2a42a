package org.m800.server.internal.accounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.m800.server.ApplicationRegistration;
import org.m800.server.internal.auth.LoginRateLimiter;
import org.m800.server.internal.auth.PasswordHasher;
import org.m800.server.internal.auth.Tokens;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts and login sessions: sign up, log in, refresh, log out, token checks, profiles
 * (docs/protocol.md sections 5, 6, 9). Passwords and tokens are never logged. Thread-safe.
 */
public final class AccountService {
    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
    public static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
    public static final int MAX_DISPLAY_NAME = 100;
    public static final int MAX_STATUS_MESSAGE = 200;

    private final Database database;
    private final EventLog events;
    private final Clock clock;
    private final PasswordHasher passwords = new PasswordHasher();
    private final Tokens tokens = new Tokens();
    private final LoginRateLimiter rateLimiter;
    private final Consumer<String> sessionRevoked;

    /**
     * @param sessionRevoked told the id of every login session that is logged out
     */
    public AccountService(Database database, EventLog events, Clock clock, Consumer<String> sessionRevoked) {
        this.database = database;
        this.events = events;
        this.clock = clock;
        this.rateLimiter = new LoginRateLimiter(clock);
        this.sessionRevoked = sessionRevoked;
    }

    public LoginRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /**
     * Checks sign-ups (the verification feature's proof policy): runs inside the sign-up transaction,
     * after the account row is written; throwing refuses the sign-up and nothing is kept.
     */
    @FunctionalInterface
    public interface SignUpGuard {
        void check(Connection c, ApplicationRegistration app, String userId, String verificationProof)
                throws SQLException, WireException;
    }

    private volatile SignUpGuard signUpGuard;

    /** Installs the guard every later sign-up passes (one; a feature sets it while the server starts). */
    public void signUpGuard(SignUpGuard guard) {
        this.signUpGuard = guard;
    }

    /** @return the sign-up answer: token pair and profile */
    public ObjectNode signUp(ApplicationRegistration app, String username, String password, String displayName)
            throws WireException, SQLException {
        return signUp(app, username, password, displayName, null);
    }

    /** @return the sign-up answer; the guard (if any) sees the verification proof (may be null) */
    public ObjectNode signUp(ApplicationRegistration app, String username, String password, String displayName,
            String verificationProof) throws WireException, SQLException {
        long now = clock.millis();
        String userId = tokens.newId("u-");
        String hash = passwords.hash(password.toCharArray());
        String name = displayName == null || displayName.isEmpty() ? username : displayName;
        try {
            database.inTransaction(c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO accounts (id, carrier, username, "
                        + "password_hash, display_name, status_message, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, '', ?, ?)")) {
                    p.setString(1, userId);
                    p.setString(2, app.carrier());
                    p.setString(3, username);
                    p.setString(4, hash);
                    p.setString(5, name);
                    p.setLong(6, now);
                    p.setLong(7, now);
                    p.executeUpdate();
                }
                SignUpGuard guard = signUpGuard;
                if (guard != null) {
                    try {
                        guard.check(c, app, userId, verificationProof);
                    } catch (WireException refused) {
                        throw new GuardRefusal(refused);
                    }
                }
                return null;
            });
        } catch (GuardRefusal e) {
            throw e.refusal;
        } catch (SQLException e) {
            if (Database.isDuplicateKey(e)) {
                throw WireException.of(WireCode.CONFLICT, "USERNAME_TAKEN", "username is already taken");
            }
            throw e;
        }
        LOG.info("Signed up user {} ({}) with application {}", userId, app.carrier(), app.applicationKey());
        return openSession(app, userId);
    }

    /**
     * @param sourceAddress the client's address, for the per-address limits; may be null
     * @return the log-in answer: token pair and profile
     */
    public ObjectNode logIn(ApplicationRegistration app, String username, String password, String sourceAddress)
            throws WireException, SQLException {
        // reserved before the (slow) hash, so parallel guesses cannot pass the limit together
        LoginRateLimiter.Attempt attempt = rateLimiter.reserve(app.carrier(), username, sourceAddress);
        boolean right = false;
        String userId = null;
        try {
            String hash = null;
            try (Connection c = database.connection();
                    PreparedStatement p = c.prepareStatement(
                            "SELECT id, password_hash FROM accounts WHERE carrier = ? AND username = ?")) {
                p.setString(1, app.carrier());
                p.setString(2, username);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        userId = r.getString(1);
                        hash = r.getString(2);
                    }
                }
            }
            right = passwords.verify(password.toCharArray(), hash) && userId != null;
        } finally {
            if (right) {
                attempt.succeeded();
            } else {
                attempt.failed(); // a database failure counts too: the reservation must end
            }
        }
        if (!right) {
            LOG.info("Failed log-in for {} ({})", username, app.carrier());
            throw WireException.unauthorized("BAD_CREDENTIALS", "wrong username or password");
        }
        return openSession(app, userId);
    }

    /**
     * Rotates both tokens of the refresh token's session. The token the last rotation replaced is
     * accepted too, as long as its successor has not been used: the client never got that answer (it
     * crashed, the connection dropped, or it gave up waiting and asked again while the first request
     * was still running here).
     *
     * @return the refresh answer
     */
    public ObjectNode refresh(ApplicationRegistration app, String refreshToken) throws WireException, SQLException {
        String presented = Tokens.hash(refreshToken);
        // a second try covers two requests with the same token at once: the one that loses the race
        // finds the token as the previous one and rotates again
        for (int attempt = 0; attempt < 2; attempt++) {
            SessionRow s = sessionByRefresh(presented, app)
                    .orElseThrow(() -> WireException.unauthorized("TOKEN_INVALID", "unknown or revoked refresh token"));
            if (!s.refreshHash.equals(presented)) {
                LOG.info("Session {} refreshed again with its previous token: the client did not get the answer "
                        + "of its last refresh", s.id);
            }
            if (s.refreshExpiresAt <= clock.millis()) {
                throw WireException.unauthorized("TOKEN_EXPIRED", "refresh token expired; log in again");
            }
            ObjectNode answer = rotate(s, presented);
            if (answer != null) {
                return answer;
            }
        }
        throw WireException.unauthorized("TOKEN_INVALID", "refresh token was used concurrently");
    }

    /**
     * Gives the session a new token pair unless its refresh token changed since it was read. The
     * presented token becomes (or stays) the previous one; the successor the client never got, if any,
     * stops working.
     *
     * @return the refresh answer, or null if another refresh changed the session first
     */
    private ObjectNode rotate(SessionRow s, String presented) throws WireException, SQLException {
        String access = tokens.newToken();
        String refresh = tokens.newToken();
        long now = clock.millis();
        long accessExp = now + Limits.ACCESS_TOKEN_LIFETIME.toMillis();
        long refreshExp = now + Limits.REFRESH_TOKEN_LIFETIME.toMillis();
        int updated = database.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE login_sessions SET access_hash = ?, "
                    + "access_expires_at = ?, refresh_hash = ?, refresh_expires_at = ?, previous_refresh_hash = ? "
                    + "WHERE id = ? AND refresh_hash = ?")) {
                p.setString(1, Tokens.hash(access));
                p.setLong(2, accessExp);
                p.setString(3, Tokens.hash(refresh));
                p.setLong(4, refreshExp);
                p.setString(5, presented);
                p.setString(6, s.id);
                p.setString(7, s.refreshHash);
                return p.executeUpdate();
            }
        });
        return updated == 1 ? pairAnswer(s.accountId, s.id, access, accessExp, refresh, refreshExp) : null;
    }

    /** Revokes the session of the access token (or, if that is null, of the refresh token). */
    public void logOut(ApplicationRegistration app, String accessToken, String refreshToken)
            throws WireException, SQLException {
        SessionRow s;
        if (accessToken != null) {
            s = sessionBy("access_hash", Tokens.hash(accessToken), app).orElse(null);
        } else if (refreshToken != null) {
            s = sessionByRefresh(Tokens.hash(refreshToken), app).orElse(null);
        } else {
            throw WireException.unauthorized("TOKEN_INVALID", "an access token or a refresh token is required");
        }
        if (s == null) {
            throw WireException.unauthorized("TOKEN_INVALID", "unknown or revoked token");
        }
        database.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM login_sessions WHERE id = ?")) {
                p.setString(1, s.id);
                return p.executeUpdate();
            }
        });
        LOG.info("Logged out session {} of user {}", s.id, s.accountId);
        sessionRevoked.accept(s.id);
    }

    /**
     * Logs out every device of the access token's user (issue 17 item 15): every login session of the
     * account is revoked, with any application of the carrier, and their connections are closed (4001).
     *
     * @return how many sessions were revoked
     */
    public int logOutEverywhere(ApplicationRegistration app, String accessToken) throws WireException, SQLException {
        if (accessToken == null) {
            throw WireException.unauthorized("TOKEN_INVALID", "Authorization: Bearer <accessToken> is required");
        }
        String userId = authenticate(app, accessToken).userId();
        java.util.List<String> ids = database.inTransaction(c -> {
            java.util.List<String> found = new java.util.ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM login_sessions WHERE account_id = ?")) {
                p.setString(1, userId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        found.add(r.getString(1));
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM login_sessions WHERE account_id = ?")) {
                p.setString(1, userId);
                p.executeUpdate();
            }
            return found;
        });
        LOG.info("Logged out every session ({}) of user {}", ids.size(), userId);
        ids.forEach(sessionRevoked);
        return ids.size();
    }

    /**
     * @return the session the access token proves
     * @throws WireException UNAUTHORIZED/TOKEN_INVALID or TOKEN_EXPIRED
     */
    public AuthenticatedSession authenticate(ApplicationRegistration app, String accessToken)
            throws WireException, SQLException {
        SessionRow s = sessionBy("access_hash", Tokens.hash(accessToken), app)
                .orElseThrow(() -> WireException.unauthorized("TOKEN_INVALID", "unknown or revoked access token"));
        if (s.accessExpiresAt <= clock.millis()) {
            throw WireException.unauthorized("TOKEN_EXPIRED", "access token expired; refresh it");
        }
        return new AuthenticatedSession(s.accountId, s.id, s.carrier, s.ackedSeq);
    }

    /** Records an acknowledgement of the session, keeping the highest. */
    public void recordAck(String sessionId, long seq) throws SQLException {
        database.inSession(s -> {
            PreparedStatement p = s.statement("UPDATE login_sessions SET acked_seq = ? WHERE id = ? AND acked_seq < ?");
            p.setLong(1, seq);
            p.setString(2, sessionId);
            p.setLong(3, seq);
            return p.executeUpdate();
        });
    }

    public Profile profile(String userId) throws WireException, SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT username, carrier, display_name, status_message, "
                        + "created_at, updated_at FROM accounts WHERE id = ?")) {
            p.setString(1, userId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_USER", "no such user");
                }
                return new Profile(userId, r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getLong(5), r.getLong(6));
            }
        }
    }

    /**
     * Changes the given fields (null = unchanged) and appends a {@code profile.updated} event.
     *
     * @return the new profile
     */
    public Profile updateProfile(String userId, String displayName, String statusMessage)
            throws WireException, SQLException {
        Profile old = profile(userId);
        Profile updated = new Profile(userId, old.username(), old.carrier(),
                displayName == null ? old.displayName() : displayName,
                statusMessage == null ? old.statusMessage() : statusMessage, old.createdAt(), clock.millis());
        database.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE accounts SET display_name = ?, status_message = ?, updated_at = ? WHERE id = ?")) {
                p.setString(1, updated.displayName());
                p.setString(2, updated.statusMessage());
                p.setLong(3, updated.updatedAt());
                p.setString(4, userId);
                return p.executeUpdate();
            }
        });
        events.append(userId, "profile.updated", updated.toJson());
        return updated;
    }

    private ObjectNode openSession(ApplicationRegistration app, String userId) throws WireException, SQLException {
        String sessionId = tokens.newId("s-");
        String access = tokens.newToken();
        String refresh = tokens.newToken();
        long now = clock.millis();
        long accessExp = now + Limits.ACCESS_TOKEN_LIFETIME.toMillis();
        long refreshExp = now + Limits.REFRESH_TOKEN_LIFETIME.toMillis();
        // A new session starts acknowledged at the user's newest event: its first hello (which has no
        // lastSeq yet) then replays every event since the log-in, not only those after the hello.
        long startSeq = events.head(userId);
        database.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO login_sessions (id, account_id, app_key, "
                    + "access_hash, access_expires_at, refresh_hash, refresh_expires_at, acked_seq, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, " + startSeq + ", ?)")) {
                p.setString(1, sessionId);
                p.setString(2, userId);
                p.setString(3, app.applicationKey());
                p.setString(4, Tokens.hash(access));
                p.setLong(5, accessExp);
                p.setString(6, Tokens.hash(refresh));
                p.setLong(7, refreshExp);
                p.setLong(8, now);
                return p.executeUpdate();
            }
        });
        return pairAnswer(userId, sessionId, access, accessExp, refresh, refreshExp);
    }

    private ObjectNode pairAnswer(String userId, String sessionId, String access, long accessExp, String refresh,
            long refreshExp) throws WireException, SQLException {
        ObjectNode o = Json.object();
        o.put("userId", userId);
        o.put("sessionId", sessionId);
        o.put("accessToken", access);
        o.put("accessTokenExpiresAt", accessExp);
        o.put("refreshToken", refresh);
        o.put("refreshTokenExpiresAt", refreshExp);
        o.set("profile", profile(userId).toJson());
        return o;
    }

    private record SessionRow(String id, String accountId, String carrier, long accessExpiresAt,
            long refreshExpiresAt, long ackedSeq, String refreshHash) {
    }

    /** Finds a session by its refresh token, or by the previous one (see {@link #refresh}). */
    private Optional<SessionRow> sessionByRefresh(String hash, ApplicationRegistration app) throws SQLException {
        Optional<SessionRow> current = sessionBy("refresh_hash", hash, app);
        return current.isPresent() ? current : sessionBy("previous_refresh_hash", hash, app);
    }

    /** Finds a session by a token hash column, only if its account belongs to the application's carrier. */
    private Optional<SessionRow> sessionBy(String column, String hash, ApplicationRegistration app)
            throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT s.id, s.account_id, a.carrier, s.access_expires_at, "
                        + "s.refresh_expires_at, s.acked_seq, s.refresh_hash FROM login_sessions s "
                        + "JOIN accounts a ON a.id = s.account_id "
                        + "WHERE s." + column + " = ? AND a.carrier = ?")) {
            p.setString(1, hash);
            p.setString(2, app.carrier());
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SessionRow(r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                        r.getLong(5), r.getLong(6), r.getString(7)));
            }
        }
    }

    /** Carries a guard's refusal out of the transaction (which rolls back on it). */
    private static final class GuardRefusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient WireException refusal;

        GuardRefusal(WireException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }
    }
}
