package org.m800.sdk.itest;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.After;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.itest.api.TrackedModule;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What every {@code *IT} shares: the framework's content ({@link #baseConfiguration()}), the probe's
 * content, and helpers that create clients and install test bundles and undo all of it after each
 * test. Helpers wait on sync points with timeouts, never on sleeps.
 */
public abstract class M800TestSupport {

    /** How long a test waits for anything that should happen. */
    protected static final long TIMEOUT_S = 20;

    /** The symbolic name of the core bundle. */
    protected static final String CORE_BSN = "org.m800.sdk.core";

    /** The only address tests use; nothing listens on port 9, and nothing connects yet. */
    protected static final String IM_SERVER = "ws://127.0.0.1:9/v1/im";

    @Inject
    protected BundleContext bundleContext;

    private final List<AutoCloseable> cleanups = new ArrayList<>();

    @Configuration
    public Option[] configuration() {
        return baseConfiguration();
    }

    /**
     * The framework every test runs in: Felix without implicit boot delegation, the Service Loader
     * Mediator and SLF4J, Declarative Services and Configuration Admin, the core bundle and the test
     * API bundle, all installed by file URL from {@code target/}. The test feature bundles are built
     * here, in the outer JVM, and installed by the tests.
     */
    protected Option[] baseConfiguration() {
        TestBundles.buildAll();
        Path work = Path.of(System.getProperty("m800.itest.work", "target/itest-work"));
        clearDataOnce(work.resolve("data"));
        return options(
                workingDirectory(work.resolve("paxexam").toString()),
                cleanCaches(true),
                // Service files on the outer class path must not leak into the framework.
                frameworkProperty("felix.bootdelegation.implicit").value("false"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"),
                systemProperty("org.slf4j.simpleLogger.showDateTime").value("true"),
                systemProperty("org.slf4j.simpleLogger.dateTimeFormat").value("HH:mm:ss.SSS"),
                systemProperty("org.slf4j.simpleLogger.log.org.ops4j").value("warn"),
                // Pax Exam's own helper bundles log through pax-logging's fallback logger.
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                // The Service Loader Mediator first: slf4j-api 2 finds its provider through it.
                runtimeBundle("asm", 1),
                runtimeBundle("asm-tree", 1),
                runtimeBundle("asm-analysis", 1),
                runtimeBundle("asm-commons", 1),
                runtimeBundle("asm-util", 1),
                runtimeBundle("org.apache.aries.spifly.dynamic.bundle", 1),
                runtimeBundle("slf4j-api", 2),
                runtimeBundle("slf4j-simple", 2),
                runtimeBundle("org.osgi.util.function", 2),
                runtimeBundle("org.osgi.util.promise", 2),
                runtimeBundle("org.osgi.service.component", 2),
                // Jetty 12 WebSocket client and Jackson, which the core's connection uses
                runtimeBundle("jetty-util", 2),
                runtimeBundle("jetty-io", 2),
                runtimeBundle("jetty-http", 2),
                runtimeBundle("jetty-alpn-client", 2),
                runtimeBundle("jetty-client", 2),
                runtimeBundle("jetty-compression-common", 2),
                runtimeBundle("jetty-compression-gzip", 2),
                runtimeBundle("jetty-websocket-core-common", 2),
                runtimeBundle("jetty-websocket-core-client", 2),
                runtimeBundle("jetty-websocket-jetty-api", 2),
                runtimeBundle("jetty-websocket-jetty-common", 2),
                runtimeBundle("jetty-websocket-jetty-client", 2),
                runtimeBundle("jackson-core", 2),
                runtimeBundle("jackson-annotations", 2),
                runtimeBundle("jackson-databind", 2),
                runtimeBundle("org.apache.felix.scr", 3),
                runtimeBundle("org.apache.felix.configadmin", 3),
                runtimeBundle("core-bundle", 4),
                bundle(TestBundles.location(TestBundles.API)).startLevel(4),
                junitBundles());
    }

    private static boolean dataCleared;

    /** Clients keep durable state; every run starts without the state of the last one. */
    private static synchronized void clearDataOnce(Path data) {
        if (dataCleared) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(data)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.nio.file.NoSuchFileException none) {
            // first run
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        dataCleared = true;
    }

    private static Option runtimeBundle(String artifactId, int startLevel) {
        return bundle(TestBundles.runtimeLocation(artifactId)).startLevel(startLevel);
    }

    @After
    public void cleanUp() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(cleanups);
        cleanups.clear();
        java.util.Collections.reverse(reversed);
        Exception first = null;
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Runs {@code cleanup} after the test (in reverse order of registration), even if it fails. */
    protected <T extends AutoCloseable> T afterTest(T cleanup) {
        cleanups.add(cleanup);
        return cleanup;
    }

    // ---- the SDK -------------------------------------------------------------------------

    protected ClientFactory clientFactory() throws InterruptedException {
        return awaitService(ClientFactory.class, null);
    }

    /** The application every test client is: the reference server of a test class registers it. */
    static final String CARRIER = "m800.test";
    static final String APPLICATION_IDENTIFIER = "org.m800.sdk.itest";
    static final String APPLICATION_KEY = "itest-key";
    static final String APPLICATION_SECRET = "itest-secret";
    static final String DEVELOPER_KEY = "itest-developer";

    protected static AppMeta appMeta() {
        return AppMeta.builder().carrier(CARRIER).applicationIdentifier(APPLICATION_IDENTIFIER)
                .applicationKey(APPLICATION_KEY).applicationSecret(APPLICATION_SECRET).developerKey(DEVELOPER_KEY)
                .applicationVersion("0.1.0").build();
    }

    protected static ClientConfig.Builder config(String clientId) {
        Path data = Path.of(System.getProperty("m800.itest.work", "target/itest-work"), "data", clientId);
        return ClientConfig.builder().clientId(clientId).imServers(IM_SERVER).dataDirectory(data)
                .featureTimeout(Duration.ofSeconds(TIMEOUT_S));
    }

    /** Creates a client that is closed after the test. */
    protected Client newClient(String clientId) throws InterruptedException {
        return newClient(config(clientId).build(), List.of());
    }

    /** Creates a client with overrides; closed after the test. */
    protected Client newClient(ClientConfig config, List<ModuleDefinition> overrides) throws InterruptedException {
        Client client = clientFactory().create(appMeta(), config, overrides);
        afterTest(client::close);
        return client;
    }

    /** Subscribes an event recorder that is closed (listeners removed) after the test. */
    protected Events events(Client client) {
        return afterTest(new Events(client));
    }

    /** Creates a client and waits for READY. */
    protected Client readyClient(String clientId) throws InterruptedException {
        Client client = newClient(clientId);
        awaitReady(client);
        return client;
    }

    protected static void awaitReady(Client client) throws InterruptedException {
        CompletableFuture<Client> ready = new CompletableFuture<>();
        try (var s = client.on(ClientEvent.READY, ready::complete)) {
            ready.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("client " + client.id() + " was not READY within " + TIMEOUT_S + " s:\n"
                    + client.diagnostics().describe(), e);
        }
    }

    /** Waits for a future the SDK returned and gives its value. */
    protected static <T> T await(CompletableFuture<T> future, String what) throws Exception {
        try {
            return future.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + TIMEOUT_S + " s", e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Waits for a future the SDK returned to fail, and gives the M800Exception it failed with. */
    protected static M800Exception awaitFailure(CompletableFuture<?> future, String what) throws Exception {
        try {
            Object value = future.get(TIMEOUT_S + 10, TimeUnit.SECONDS);
            throw new AssertionError(what + " should have failed but completed with " + value);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " neither failed nor completed within " + (TIMEOUT_S + 10) + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof M800Exception m) {
                return m;
            }
            throw new AssertionError(what + " failed with " + cause + " instead of an M800Exception", cause);
        }
    }

    protected static TrackedModule tracked(Client client, String module) {
        return client.module(module, TrackedModule.class)
                .orElseThrow(() -> new AssertionError("module " + module + " of client " + client.id()
                        + " is not built (or not a TrackedModule):\n" + client.diagnostics().describe()));
    }

    protected static void assertCode(ErrorCode expected, M800Exception actual) {
        if (actual.code() != expected) {
            throw new AssertionError("expected " + expected + " but got " + actual, actual);
        }
    }

    // ---- bundles -----------------------------------------------------------------------

    /** Installs and starts a test bundle; it is uninstalled after the test if still there. */
    protected Bundle installAndStart(String name) throws BundleException {
        Bundle bundle = install(name);
        bundle.start();
        return bundle;
    }

    /** Installs a test bundle; it is uninstalled after the test if still there. */
    protected Bundle install(String name) throws BundleException {
        Bundle bundle = bundleContext.installBundle(TestBundles.location(name));
        afterTest(() -> uninstallQuietly(bundle));
        return bundle;
    }

    /** Uninstalls a bundle the SDK may have installed by location, after the test. */
    protected void uninstallAfterTest(String location) {
        afterTest(() -> {
            Bundle b = bundleContext.getBundle(location);
            if (b != null) {
                uninstallQuietly(b);
            }
        });
    }

    private static void uninstallQuietly(Bundle bundle) throws BundleException {
        if (bundle.getState() != Bundle.UNINSTALLED) {
            bundle.uninstall();
        }
    }

    protected Bundle coreBundle() {
        for (Bundle b : bundleContext.getBundles()) {
            if (CORE_BSN.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + CORE_BSN + " is not installed");
    }

    // ---- services ----------------------------------------------------------------------

    /**
     * Waits for a service of that type (and filter, which may be null). The service stays in use
     * until the end of the test: a delayed DS component is deactivated when nobody uses it any more.
     */
    protected <S> S awaitService(Class<S> type, String filter) throws InterruptedException {
        ServiceTracker<S, S> tracker = tracker(type, filter);
        afterTest(tracker::close);
        S service = tracker.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        assertNotNull("no " + type.getSimpleName() + " service" + (filter == null ? "" : " matching " + filter)
                + " within " + TIMEOUT_S + " s", service);
        return service;
    }

    /** @return the references of services of that type matching the filter (may be null), never null */
    protected <S> Collection<ServiceReference<S>> services(Class<S> type, String filter) {
        try {
            return bundleContext.getServiceReferences(type, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    private <S> ServiceTracker<S, S> tracker(Class<S> type, String filter) {
        try {
            ServiceTracker<S, S> tracker = filter == null ? new ServiceTracker<>(bundleContext, type, null)
                    : new ServiceTracker<>(bundleContext, bundleContext.createFilter(
                            "(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
            tracker.open();
            return tracker;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
    }

    // ---- waiting -----------------------------------------------------------------------

    /** @return the threads of this JVM that are alive now */
    protected static Set<Thread> liveThreads() {
        Set<Thread> live = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                live.add(t);
            }
        }
        return live;
    }

    /** @return how many references a service lookup found ({@code null} means none) */
    protected static int count(ServiceReference<?>[] refs) {
        return refs == null ? 0 : refs.length;
    }

    /**
     * Waits until the condition holds, checking it every 20 ms on a helper thread; the test thread
     * waits on a future with a timeout. For states that no event announces (services leaving, threads
     * ending).
     */
    protected static void waitUntil(String what, BooleanSupplier condition, long seconds) throws Exception {
        if (condition.getAsBoolean()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "itest-poller");
            t.setDaemon(true);
            return t;
        });
        try {
            poller.scheduleWithFixedDelay(() -> {
                try {
                    if (condition.getAsBoolean()) {
                        done.complete(null);
                    }
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            }, 20, 20, TimeUnit.MILLISECONDS);
            done.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not happen within " + seconds + " s");
        } finally {
            poller.shutdownNow();
            assertTrue("poller ended", poller.awaitTermination(5, TimeUnit.SECONDS));
        }
    }
}
