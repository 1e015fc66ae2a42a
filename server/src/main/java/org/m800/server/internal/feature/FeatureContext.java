package org.m800.server.internal.feature;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.m800.server.internal.ServerLimits;
import org.m800.server.internal.accounts.AccountService;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.http.HttpRoutes;
import org.m800.server.internal.ws.ConnectionRegistry;
import org.m800.server.internal.ws.HandlerRegistry;

/**
 * What a {@link ServerFeature} can use and extend.
 *
 * @param database the server's database (the feature's tables exist)
 * @param events the per-user event log: append to push to a user
 * @param accounts accounts, sessions and token checks
 * @param imHandlers request types of {@code /v1/im}
 * @param callHandlers request types of {@code /v1/call}
 * @param httpRoutes routes of the HTTP API (application authentication is done before a route runs)
 * @param scheduler the server's scheduler for periodic work; tasks must be short
 * @param clock the server's clock
 * @param connections the authenticated WebSocket connections: listen to them come and go (presence)
 * @param limits the configured abuse limits ({@link ServerLimits#DEFAULTS} if null)
 * @param imPath the path of the IM endpoint ({@code /v1/im}), as {@link ConnectionRegistry} listeners see it
 * @param blockPolicy the server's block check: contacts plugs its block lists in, chat and calls ask it
 */
public record FeatureContext(Database database, EventLog events, AccountService accounts,
        HandlerRegistry imHandlers, HandlerRegistry callHandlers, HttpRoutes httpRoutes,
        ScheduledExecutorService scheduler, Clock clock, ConnectionRegistry connections, ServerLimits limits,
        String imPath, BlockPolicySlot blockPolicy) {

    public FeatureContext {
        limits = limits == null ? ServerLimits.DEFAULTS : limits;
        java.util.Objects.requireNonNull(imPath, "imPath");
        java.util.Objects.requireNonNull(blockPolicy, "blockPolicy");
    }
}
