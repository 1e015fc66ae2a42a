package org.m800.sdk.testing;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.rules.ExternalResource;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.M800Exception;
import org.m800.server.ReferenceServer;

/**
 * The real reference server on a free port of 127.0.0.1, its data in the test's temporary folder,
 * and the standalone clients a test opens against it; every client and the server are closed after
 * the test. Shared by the tests of the core and of the feature bundles (core-bundle's test jar); each
 * module's fixture adds the client configuration and helpers of its feature.
 */
public class ReferenceServerFixture extends ExternalResource {

    /** The reference server's development application. */
    public static final AppMeta DEV_APP = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
            .applicationKey("dev-key").applicationSecret("dev-secret").developerKey("dev-developer")
            .applicationVersion("1.0").build();

    /** How long {@link #open} waits for the client (or its feature) to be ready. */
    private static final long READY_SECONDS = 10;

    private final TemporaryFolder temp;
    private final Duration idleTimeout;
    private final List<Client> clients = new ArrayList<>();
    private final ClientFactory factory = ClientFactory.standalone();
    private ReferenceServer server;
    private Path serverData;
    private int port;
    private UnaryOperator<ReferenceServer.Builder> serverOptions = UnaryOperator.identity();

    /** A server with its default idle timeout. */
    public ReferenceServerFixture(TemporaryFolder temp) {
        this(temp, null);
    }

    /** @param idleTimeout after how long the server drops a silent connection; null for its default */
    public ReferenceServerFixture(TemporaryFolder temp, Duration idleTimeout) {
        this.temp = temp;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Server settings beyond the defaults (limits, for example), applied to every start of the server.
     * Call it before the rule runs (from the test's field initialiser).
     *
     * @return this fixture
     */
    public ReferenceServerFixture serverOptions(UnaryOperator<ReferenceServer.Builder> options) {
        this.serverOptions = options;
        return this;
    }

    @Override
    protected void before() throws Throwable {
        serverData = temp.newFolder("server").toPath();
        start(0);
    }

    private void start(int wanted) throws IOException {
        ReferenceServer.Builder builder = ReferenceServer.builder().port(wanted).dataDirectory(serverData);
        if (idleTimeout != null) {
            builder.idleTimeout(idleTimeout);
        }
        server = serverOptions.apply(builder).build().start();
        port = server.port();
    }

    /** Stops the server and starts a new one on the same port and data: accounts and event logs survive. */
    public void restart() throws IOException {
        server.close();
        start(port);
    }

    @Override
    protected void after() {
        clients.forEach(Client::close);
        if (server != null) {
            server.close();
        }
    }

    /** @return the running server */
    public ReferenceServer server() {
        return server;
    }

    /** @return a new empty folder for a client's data */
    public Path newDataDirectory() throws IOException {
        return temp.newFolder().toPath();
    }

    /** A client configuration with this server's IM and sign-up endpoints and a new data folder. */
    public ClientConfig.Builder config(String clientId) throws IOException {
        return ClientConfig.builder().clientId(clientId).imServers(List.of(server.imUri()))
                .signUpServers(List.of(server.httpUri())).dataDirectory(newDataDirectory());
    }

    /**
     * Creates a client that is closed after the test and waits until it is READY, or until the named
     * feature is ready in it.
     *
     * @param feature a feature's name, or null to wait for READY
     */
    public Client open(AppMeta app, ClientConfig config, String feature) throws InterruptedException {
        Client c = track(factory.create(app, config));
        CountDownLatch ready = new CountDownLatch(1);
        if (feature == null) {
            c.on(ClientEvent.READY, x -> ready.countDown());
        } else {
            c.on(ClientEvent.FEATURE_READY, name -> {
                if (name.equals(feature)) {
                    ready.countDown();
                }
            });
        }
        assertTrue((feature == null ? "client " : feature + " in client ") + config.clientId() + " not ready: "
                + c.diagnostics().describe(), ready.await(READY_SECONDS, TimeUnit.SECONDS));
        return c;
    }

    /** Closes the client after the test. */
    public Client track(Client c) {
        clients.add(c);
        return c;
    }

    /** @return the id of the user the client is logged in as */
    public static String userId(Client c) {
        return c.require(AccountManager.class).profile().orElseThrow().userId();
    }

    /** Waits at most that long for the future's value. */
    public static <T> T get(CompletableFuture<T> f, long seconds) throws Exception {
        return f.get(seconds, TimeUnit.SECONDS);
    }

    /** @return the M800Exception the future failed with (within 20 s) */
    public static M800Exception failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                return m;
            }
            throw e;
        }
        throw new AssertionError("expected a failure, got success");
    }
}
