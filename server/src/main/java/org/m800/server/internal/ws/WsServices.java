package org.m800.server.internal.ws;

import java.util.concurrent.ScheduledExecutorService;
import org.m800.server.internal.accounts.AccountService;
import org.m800.server.internal.auth.AppAuthenticator;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.limits.RequestLimiter;
import org.m800.server.internal.requests.RequestLog;

/**
 * What a WebSocket connection needs from the server, for one endpoint.
 *
 * @param path the endpoint's path ({@code /v1/im}), part of the hello signature
 * @param deliversEvents whether connections of this endpoint attach to the user's event log
 * @param handlers the endpoint's request handlers
 * @param idleTimeout a connection that receives no frame for this long is closed (docs/protocol.md 7.3)
 * @param eventTypePrefix null: every event of the log; otherwise only events whose type starts with it (the
 *        call endpoint: {@code call.}), and then the endpoint keeps no ack of its own (section 13.1)
 * @param limiter the per-user request limits, shared by every endpoint; null for none (tests)
 * @param database the database whose writer thread runs the connections' requests in group-commit batches
 * @param writers the threads that write the connections' frames to their sockets ({@link SocketWriters})
 */
public record WsServices(String path, boolean deliversEvents, HandlerRegistry handlers, AppAuthenticator appAuth,
        AccountService accounts, EventLog events, RequestLog requests, ConnectionRegistry connections,
        ScheduledExecutorService scheduler, java.time.Duration idleTimeout, String eventTypePrefix,
        RequestLimiter limiter, Database database, java.util.concurrent.Executor writers) {

    /** Services of an endpoint that delivers every event (or none). */
    public WsServices(String path, boolean deliversEvents, HandlerRegistry handlers, AppAuthenticator appAuth,
            AccountService accounts, EventLog events, RequestLog requests, ConnectionRegistry connections,
            ScheduledExecutorService scheduler, java.time.Duration idleTimeout, Database database,
            java.util.concurrent.Executor writers) {
        this(path, deliversEvents, handlers, appAuth, accounts, events, requests, connections, scheduler, idleTimeout,
                null, null, database, writers);
    }
}
