package org.m800.server.internal.accounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.m800.server.internal.db.Migration;
import org.m800.server.internal.feature.FeatureContext;
import org.m800.server.internal.feature.ServerFeature;
import org.m800.server.internal.http.HttpCall;
import org.m800.server.internal.limits.SignUpLimiter;
import org.m800.server.internal.wire.Fields;
import org.m800.server.internal.wire.Json;
import org.m800.server.internal.wire.WireException;

/**
 * The core feature: the tables of accounts, sessions, events, remembered answers and nonces, the
 * account HTTP routes (docs/protocol.md section 6) and the profile request types (section 9).
 */
public final class AccountsFeature implements ServerFeature {
    @Override
    public String name() {
        return "core";
    }

    @Override
    public List<Migration> migrations() {
        return List.of(new Migration(1, "accounts, sessions, event log, request log, nonces",
                "/org/m800/server/internal/db/core/V1__core.sql"),
                new Migration(2, "the event log's head is its newest seq (event_heads dropped)",
                        "/org/m800/server/internal/db/core/V2__event_heads.sql"),
                new Migration(3, "a session's previous refresh token, accepted until its successor is used",
                        "/org/m800/server/internal/db/core/V3__previous_refresh.sql"),
                new Migration(4, "remembered answers are sealed: the ones stored in clear (tokens) are dropped",
                        "/org/m800/server/internal/db/core/V4__sealed_answers.sql"));
    }

    @Override
    public void install(FeatureContext context) {
        AccountService accounts = context.accounts();
        SignUpLimiter signUps = new SignUpLimiter(context.clock(), context.limits().rates());
        context.httpRoutes().add("POST", "/v1/accounts/signup", call -> {
            String username = Fields.requiredText(call.body(), "username", 3, 64, AccountService.USERNAME);
            String password = Fields.requiredText(call.body(), "password", 8, 128, null);
            String displayName = Fields.optionalText(call.body(), "displayName", 0, AccountService.MAX_DISPLAY_NAME,
                    null);
            String proof = Fields.optionalText(call.body(), "verificationProof", 1, 256, null);
            // after the cheap checks of the body, before the password hash and the write
            signUps.check(call.application(), call.remoteAddress());
            return accounts.signUp(call.application(), username, password, displayName, proof);
        });
        context.httpRoutes().add("POST", "/v1/accounts/login", call -> accounts.logIn(call.application(),
                Fields.requiredText(call.body(), "username", 1, 64, null),
                Fields.requiredText(call.body(), "password", 1, 128, null), call.remoteAddress()));
        context.httpRoutes().add("POST", "/v1/accounts/refresh", call -> accounts.refresh(call.application(),
                Fields.requiredText(call.body(), "refreshToken", 1, 256, null)));
        context.httpRoutes().add("POST", "/v1/accounts/logout", call -> {
            accounts.logOut(call.application(), call.bearerToken(),
                    Fields.optionalText(call.body(), "refreshToken", 1, 256, null));
            return Json.object().put("loggedOut", true);
        });
        context.httpRoutes().add("POST", "/v1/accounts/logout-all", call -> Json.object().put("loggedOut", true)
                .put("sessions", accounts.logOutEverywhere(call.application(), call.bearerToken())));
        context.httpRoutes().add("GET", "/v1/accounts/profile", call -> accounts
                .profile(accounts.authenticate(call.application(), requireBearer(call)).userId()).toJson());

        context.imHandlers().registerIdempotent("profile.get", (ctx, data) -> accounts.profile(ctx.userId()).toJson());
        context.imHandlers().register("profile.update", (ctx, data) -> updateProfile(accounts, ctx.userId(), data));
    }

    private static String requireBearer(HttpCall call) throws WireException {
        if (call.bearerToken() == null) {
            throw WireException.unauthorized("TOKEN_INVALID", "Authorization: Bearer <accessToken> is required");
        }
        return call.bearerToken();
    }

    private static ObjectNode updateProfile(AccountService accounts, String userId, ObjectNode data)
            throws WireException, java.sql.SQLException {
        String displayName = Fields.optionalText(data, "displayName", 1, AccountService.MAX_DISPLAY_NAME, null);
        String statusMessage = Fields.optionalText(data, "statusMessage", 0, AccountService.MAX_STATUS_MESSAGE, null);
        if (displayName == null && statusMessage == null) {
            throw WireException.invalid("displayName", "MISSING_FIELD",
                    "at least one of displayName and statusMessage is required");
        }
        return accounts.updateProfile(userId, displayName, statusMessage).toJson();
    }
}
