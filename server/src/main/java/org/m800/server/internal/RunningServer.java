package org.m800.server.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.m800.server.internal.accounts.AccountService;
import org.m800.server.internal.accounts.AccountsFeature;
import org.m800.server.internal.auth.AppAuthenticator;
import org.m800.server.internal.auth.Applications;
import org.m800.server.internal.db.Database;
import org.m800.server.internal.db.Migrations;
import org.m800.server.internal.events.EventLog;
import org.m800.server.internal.feature.BlockPolicySlot;
import org.m800.server.internal.feature.FeatureContext;
import org.m800.server.internal.feature.ServerFeature;
import org.m800.server.internal.http.HttpApi;
import org.m800.server.internal.http.HttpRoutes;
import org.m800.server.internal.http.SlowClientGuard;
import org.m800.server.internal.http.StreamRoutes;
import org.m800.server.internal.limits.RequestLimiter;
import org.m800.server.internal.requests.RequestLog;
import org.m800.server.internal.requests.ServerSecret;
import org.m800.server.internal.wire.Limits;
import org.m800.server.internal.ws.ConnectionRegistry;
import org.m800.server.internal.ws.HandlerRegistry;
import org.m800.server.internal.ws.SocketWriters;
import org.m800.server.internal.ws.WsConnection;
import org.m800.server.internal.ws.WsServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled, started server: database, migrations, features, Jetty. {@link #close()} stops
 * every thread it started.
 */
public final class RunningServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);
    public static final String IM_PATH = "/v1/im";
    public static final String CALL_PATH = "/v1/call";
    /** How often the database file is synced and its chunks checked (a few times per retention time). */
    static final long COMPACTION_PERIOD_MILLIS = 2_000;

    /** The features of the server, in installation order. Feature issues add theirs here. */
    static List<ServerFeature> features(ServerSettings settings, BlockPolicySlot blocks) {
        org.m800.server.internal.chat.ChatFeature chat = new org.m800.server.internal.chat.ChatFeature();
        // contacts after verification (it reads the verified numbers); it plugs the block list into the slot
        return List.of(new AccountsFeature(), chat,
                new org.m800.server.internal.verification.VerificationFeature(settings.developmentOutbox()),
                new org.m800.server.internal.contacts.ContactsFeature(),
                new org.m800.server.internal.files.FilesFeature(settings.files(), chat),
                new org.m800.server.internal.call.CallFeature(settings.call(), () -> blocks));
    }

    private final AtomicBoolean ready = new AtomicBoolean();
    private final Database database;
    private final ScheduledThreadPoolExecutor scheduler;
    private final List<ServerFeature> installed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Server jetty;
    private ServerConnector connector;

    private RunningServer(ServerSettings settings) throws Exception {
        Clock clock = settings.clock();
        database = new Database(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword());
        scheduler = ServerScheduler.create("m800-server-scheduler");
        try {
            assemble(settings, clock);
        } catch (Exception e) {
            closeFeatures();
            ServerScheduler.stop(scheduler, 5_000);
            database.close();
            throw e;
        }
    }

    private void assemble(ServerSettings settings, Clock clock) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("m800-server");
        jetty = new Server(threads);
        if (settings.keyStore() != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(settings.keyStore().toString());
            if (settings.keyStorePassword() != null) {
                ssl.setKeyStorePassword(settings.keyStorePassword());
            }
            connector = new ServerConnector(jetty, ssl);
        } else {
            connector = new ServerConnector(jetty);
        }
        SlowClientGuard slowClients = new SlowClientGuard(settings.limits().requestHeaderTimeout(),
                settings.limits().requestBodyTimeout());
        connector.addEventListener(slowClients);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        jetty.addConnector(connector);

        Migrations migrations = new Migrations(database);
        EventLog events = new EventLog(database, clock);
        RequestLog requests = new RequestLog(database, clock, ServerSecret.load(settings.dataDirectory()));
        ConnectionRegistry connections = new ConnectionRegistry(settings.limits().connectionsPerUser());
        AccountService accounts = new AccountService(database, events, clock, connections::sessionRevoked);
        AppAuthenticator appAuth = new AppAuthenticator(new Applications(settings.applications()), database, clock);
        HandlerRegistry im = new HandlerRegistry();
        HandlerRegistry call = new HandlerRegistry();
        HttpRoutes routes = new HttpRoutes();
        BlockPolicySlot blocks = new BlockPolicySlot();
        FeatureContext featureContext = new FeatureContext(database, events, accounts, im, call, routes, scheduler,
                clock, connections, settings.limits(), IM_PATH, blocks);
        for (ServerFeature feature : features(settings, blocks)) {
            migrations.apply(feature.name(), feature.migrations());
            feature.install(featureContext);
            installed.add(0, feature);
        }

        long idleMs = settings.idleTimeout().toMillis();
        RequestLimiter limiter = new RequestLimiter(clock, settings.limits().rates());
        // socket writes on Jetty's threads when work waits for the database's writer, so it goes on to it
        SocketWriters writers = new SocketWriters(threads, database);
        WsServices imServices = new WsServices(IM_PATH, true, im, appAuth, accounts, events, requests, connections,
                scheduler, settings.idleTimeout(), null, limiter, database, writers);
        WsServices callServices = new WsServices(CALL_PATH, true, call, appAuth, accounts, events, requests,
                connections, scheduler, settings.idleTimeout(), "call.", limiter, database, writers);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, context, container -> {
            container.setMaxTextMessageSize(Limits.MAX_FRAME_BYTES);
            container.setMaxBinaryMessageSize(Limits.MAX_FRAME_BYTES);
            container.setIdleTimeout(settings.idleTimeout());
            container.addMapping(IM_PATH, (request, response, callback) -> new WsConnection(imServices));
            container.addMapping(CALL_PATH, (request, response, callback) -> new WsConnection(callServices));
        });
        ws.setHandler(new StreamRoutes(routes, appAuth, slowClients::handling, slowClients::done,
                new HttpApi(routes, appAuth, requests, ready::get, slowClients)));
        context.setHandler(ws);
        jetty.setHandler(context);
        jetty.setStopTimeout(2_000);

        scheduler.scheduleWithFixedDelay(() -> {
            try {
                appAuth.purgeOldNonces();
                requests.purgeOld();
                accounts.rateLimiter().purge();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Housekeeping failed", e);
            }
        }, 1, 1, TimeUnit.MINUTES);
        // the event log's retention: a scan of the whole log, so hourly
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                events.trim(clock.millis() - settings.limits().eventRetention().toMillis(),
                        settings.limits().eventsPerUser());
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Trimming the event log failed", e);
            }
        }, 1, 60, TimeUnit.MINUTES);
        // H2 with WRITE_DELAY=0 never rewrites its sparse chunks by itself (db.FileCompaction): without this
        // the file grew by about 4 KB per message under sustained load
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                database.maintainFile();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Compacting the database file failed", e);
            }
        }, COMPACTION_PERIOD_MILLIS, COMPACTION_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        // liveness (docs/protocol.md 7.3): a connection silent for idleTimeout is dropped without a close
        // handshake, so presence sees a dead device go offline within idleTimeout + the sweep period
        long sweepMs = Math.max(50, Math.min(1_000, idleMs / 4));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                connections.dropSilent(idleMs);
            } catch (RuntimeException e) {
                LOG.warn("Liveness sweep failed", e);
            }
        }, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(slowClients::sweep, 250, 250, TimeUnit.MILLISECONDS);
    }

    /**
     * Builds and starts a server.
     *
     * @throws Exception if the database, a migration or the listening socket fails; nothing is left running
     */
    public static RunningServer start(ServerSettings settings) throws Exception {
        RunningServer server = null;
        try {
            server = new RunningServer(settings);
            server.jetty.start();
            server.ready.set(true);
            LOG.info("M800 reference server ready on {}:{}", settings.host(), server.port());
            return server;
        } catch (Exception e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    /** Closes the installed features, the last installed first. */
    private void closeFeatures() {
        for (ServerFeature feature : installed) {
            try {
                feature.close();
            } catch (RuntimeException e) {
                LOG.warn("Feature {} did not close cleanly", feature.name(), e);
            }
        }
        installed.clear();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public boolean isReady() {
        return ready.get();
    }

    @Override
    public void close() {
        ready.set(false);
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly", e);
        }
        closeFeatures();
        // not shutdownNow(): an interrupted compaction closes H2's file channel under the database
        ServerScheduler.stop(scheduler, 5_000);
        database.close();
        LOG.info("M800 reference server stopped");
    }
}
