package org.m800.sdk.runtime;

import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * An embedded Felix framework with the runtime's bundles: started by {@link #start}, which returns
 * only once every bundle but the console is active, and stopped (and waited for) by {@link #close()}.
 */
final class M800Runtime implements AutoCloseable {

    /** How long {@link #close()} waits for the framework to stop. */
    static final long STOP_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(30);

    /** FileInstall's poll interval of {@code deploy/} and {@code etc/}, in milliseconds. */
    static final int POLL_MS = 500;

    private final Framework framework;
    private final List<Bundle> bundles;
    private final Bundle console;
    private final long frameworkStartedAt;
    private final long readyAt;

    private M800Runtime(Framework framework, List<Bundle> bundles, Bundle console, long frameworkStartedAt,
            long readyAt) {
        this.framework = framework;
        this.bundles = bundles;
        this.console = console;
        this.frameworkStartedAt = frameworkStartedAt;
        this.readyAt = readyAt;
    }

    /**
     * The framework properties of a run: storage (kept across starts, see {@link BundleCache}), FileInstall
     * on {@code deploy} and {@code etc}, the console mode, and {@code extra} (such as the embedded
     * server's endpoints) on top.
     */
    static Map<String, String> frameworkProperties(RuntimeOptions options, Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, options.storage().toString());
        // the cache is kept: the embedded bundles are not copied out of the runtime jar at every start;
        // BundleCache makes each start begin as a fresh cache would otherwise
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, "none");
        // errors only from the framework's own logger
        p.put("felix.log.level", "1");
        // the launcher's class path (Felix, the launcher) must not leak into bundles
        p.put("felix.bootdelegation.implicit", "false");
        // FileInstall: one watcher per folder (a comma-separated list), scanned once synchronously when
        // FileInstall starts, then every POLL_MS
        p.put("felix.fileinstall.dir", options.deploy() + "," + options.etc());
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.poll", Integer.toString(POLL_MS));
        p.put("felix.fileinstall.noInitialDelay", "true");
        // etc/ files are the user's: FileInstall must not write configurations back into them (its
        // rewrite raced with its own poller, which then read a half-written file as a blank configuration)
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.level", "2");
        // Gogo shell: the console reads the terminal only in interactive mode
        p.put("gosh.args", options.scripted() ? "--nointeractive" : "");
        p.put("ds.loglevel", "warn");
        p.put("m800.runtime.home", options.home().toString());
        p.put("m800.runtime.deploy", options.deploy().toString());
        p.put("m800.runtime.etc", options.etc().toString());
        // clients made in the shell keep their state under the runtime's home, one folder each
        p.put("m800.defaults.dataRoot", options.home().resolve("clients").toString());
        // read by the core's ShellSupport (its constant JSON_PROPERTY); m800:json switches it later
        p.put("m800.shell.json", Boolean.toString(options.json()));
        p.putAll(extra);
        return p;
    }

    /**
     * Starts the framework on the bundle cache of {@code properties}' storage folder, brings the embedded
     * bundles in it up to date ({@link BundleCache}), resolves them all and starts them in
     * {@link StartOrder}, except the console.
     *
     * @param properties the framework properties; must name the storage folder
     * @throws StartupException naming the bundle and the reason if the framework does not start or a
     *         bundle does not install, resolve or start; the framework is stopped again then
     */
    static M800Runtime start(Map<String, String> properties, List<URL> bundleUrls) throws StartupException {
        String storage = properties.get(Constants.FRAMEWORK_STORAGE);
        if (storage == null) {
            throw new IllegalArgumentException("the framework properties name no storage folder");
        }
        Framework framework = new FrameworkFactory().newFramework(properties);
        boolean started = false;
        try {
            try {
                framework.init();
            } catch (BundleException e) {
                throw new StartupException("the OSGi framework did not start: " + e.getMessage(), e);
            }
            long frameworkStartedAt = System.currentTimeMillis();
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new BundleCache(context, Path.of(storage)).reconcile(bundleUrls);
            try {
                framework.start();
            } catch (BundleException e) {
                throw new StartupException("the OSGi framework did not start: " + e.getMessage(), e);
            }
            RuntimeCommands.register(context);
            RuntimeHelp.register(context);

            framework.adapt(FrameworkWiring.class).resolveBundles(installed);
            checkResolved(installed);

            List<Bundle> order = installed.stream()
                    .filter(b -> !isFragment(b))
                    .sorted(StartOrder.comparator(Bundle::getSymbolicName, Bundle::getLocation))
                    .toList();
            Bundle console = null;
            for (Bundle bundle : order) {
                if (StartOrder.CONSOLE.equals(bundle.getSymbolicName())) {
                    console = bundle;
                } else {
                    startBundle(bundle);
                }
            }
            long readyAt = System.currentTimeMillis();
            started = true;
            return new M800Runtime(framework, List.copyOf(installed), console, frameworkStartedAt, readyAt);
        } finally {
            if (!started) {
                stop(framework);
            }
        }
    }

    private static void checkResolved(List<Bundle> installed) throws StartupException {
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : installed) {
            if (bundle.getState() != Bundle.INSTALLED) {
                continue;
            }
            String reason;
            if (isFragment(bundle)) {
                reason = "fragment not attached to its host " + bundle.getHeaders("").get(Constants.FRAGMENT_HOST);
            } else {
                // Felix explains a resolution failure (the bundle and its missing requirement) on start
                try {
                    bundle.start(Bundle.START_TRANSIENT);
                    continue; // resolved after all (a dependency resolved late); it is started in order later
                } catch (BundleException e) {
                    reason = e.getMessage();
                }
            }
            problems.add(describe(bundle) + " does not resolve: " + reason);
        }
        if (!problems.isEmpty()) {
            throw new StartupException(problems.size() == 1
                    ? problems.get(0)
                    : problems.size() + " bundles do not resolve:\n  - " + String.join("\n  - ", problems));
        }
    }

    private static void startBundle(Bundle bundle) throws StartupException {
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            Throwable cause = e.getCause();
            throw new StartupException(describe(bundle) + " failed to start: " + e.getMessage()
                    + (cause != null && cause != e ? " (" + cause + ")" : ""), e);
        }
        if (bundle.getState() != Bundle.ACTIVE) {
            throw new StartupException(describe(bundle) + " is not active after start (state " + state(bundle) + ")");
        }
    }

    /** Starts the Gogo shell bundle: the interactive console, or only its commands in script mode. */
    void startConsole() throws StartupException {
        if (console != null) {
            startBundle(console);
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /** @return the installed bundles (the embedded ones, not those from {@code deploy/}) */
    List<Bundle> bundles() {
        return bundles;
    }

    /** @return when the framework had started (epoch milliseconds) */
    long frameworkStartedAt() {
        return frameworkStartedAt;
    }

    /** @return when every bundle but the console was active (epoch milliseconds) */
    long readyAt() {
        return readyAt;
    }

    /** @return the framework's state: {@code Bundle.ACTIVE} while running, {@code RESOLVED} once stopped */
    int frameworkState() {
        return framework.getState();
    }

    /** @return the framework's version, such as {@code 7.0.5} */
    String frameworkVersion() {
        return framework.getVersion().toString();
    }

    /** Waits until the framework stops (the console's {@code stop 0} or end of input, or a signal). */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Stops the framework and waits for it, so that no framework thread keeps the JVM alive. */
    @Override
    public void close() {
        stop();
    }

    /** The same as {@link #close()}: stops the framework and waits for it; nothing if already stopped. */
    void stop() {
        stop(framework);
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("m800-runtime: the framework did not stop within " + STOP_TIMEOUT_MS + " ms");
            }
        } catch (BundleException e) {
            System.err.println("m800-runtime: stopping the framework failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the bundles that are not active (fragments excepted), as {@code name (state)} */
    String inactiveBundles() {
        return bundles.stream()
                .filter(b -> !isFragment(b) && b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " (" + state(b) + ")")
                .collect(Collectors.joining(", "));
    }

    static String describe(Bundle bundle) {
        return "bundle " + bundle.getSymbolicName() + " " + bundle.getVersion()
                + " (" + EmbeddedBundles.fileName(bundle.getLocation()) + ")";
    }

    private static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    private static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.INSTALLED -> "installed";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.ACTIVE -> "active";
            default -> "uninstalled";
        };
    }
}
