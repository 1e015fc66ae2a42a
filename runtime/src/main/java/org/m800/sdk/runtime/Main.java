package org.m800.sdk.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The M800 runtime: {@code java -jar m800-runtime.jar [options]}. See {@link RuntimeOptions#usage()}.
 *
 * <p>This is a main program, so it talks to the user on {@code System.out}/{@code System.err}.
 */
public final class Main {

    /** Exit status: success. */
    static final int EXIT_OK = 0;
    /** Exit status: a script command failed. */
    static final int EXIT_SCRIPT_FAILED = 1;
    /** Exit status: bad command line. */
    static final int EXIT_USAGE = 2;
    /** Exit status: the runtime could not start. */
    static final int EXIT_STARTUP = 3;

    /** The prompt echoed before each script command, as the console shows it. */
    static final String PROMPT = "g! ";

    /**
     * SPI Fly logs every registered provider at INFO through java.util.logging; keep that quiet. A strong
     * reference, since java.util.logging holds loggers weakly and would forget the level.
     */
    private static final java.util.logging.Logger SPIFLY_LOG = java.util.logging.Logger.getLogger("org.apache.aries.spifly");

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final long jvmStartedAt = ManagementFactory.getRuntimeMXBean().getStartTime();

    Main(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        SPIFLY_LOG.setLevel(java.util.logging.Level.WARNING);
        defaultSystemProperty("org.slf4j.simpleLogger.showDateTime", "true");
        defaultSystemProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        defaultSystemProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // Jetty (the embedded server's and the SDK's) announces every start and stop at INFO
        defaultSystemProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        // Without it, Jetty's MemoryUtils asks the platform MBean server whether oops are compressed, which
        // starts JMX and registers every platform MBean: about 4 % of the runtime's start-up CPU, for a
        // padding hint. 16 references per 64-byte line is right with compressed oops (the default below
        // 32 GB of heap) and, without them, pads twice as much as needed, which is still free of false sharing.
        defaultSystemProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        // Keep the streams of the terminal: Gogo replaces System.out/err with per-thread streams.
        int status = new Main(System.in, System.out, System.err).run(args);
        System.out.flush();
        System.err.flush();
        // The framework has stopped and been waited for; exit also ends a console thread blocked on input.
        System.exit(status);
    }

    /** Runs the runtime and returns its exit status. */
    int run(String... args) {
        RuntimeOptions options;
        try {
            options = RuntimeOptions.parse(args);
            if (options.help()) {
                out.print(RuntimeOptions.usage());
                return EXIT_OK;
            }
            options.validate();
        } catch (UsageException e) {
            err.println("m800-runtime: " + e.getMessage());
            err.println("Try 'java -jar m800-runtime.jar --help'.");
            return EXIT_USAGE;
        }

        List<EmbeddedServer> servers = new ArrayList<>();
        try {
            createFolders(options);
            Map<String, String> endpoints = options.server() ? prepareServers(options, servers) : options.outsideServers();
            // the servers start beside the framework: each is a good part of the start-up time
            CompletableFuture<Long> serversStarted = startInBackground(options, servers);
            Map<String, String> defaults = ClientDefaults.frameworkProperties(endpoints, ClientDefaults.runtimeVersion(),
                    System::getProperty);
            List<java.net.URL> bundleUrls = EmbeddedBundles.list();
            try (M800Runtime runtime = M800Runtime.start(M800Runtime.frameworkProperties(options, defaults),
                    bundleUrls)) {
                long serverMillis = awaitServers(serversStarted);
                Thread hook = new Thread(() -> {
                    runtime.stop();
                    closeServers(servers);
                }, "m800-runtime-shutdown");
                Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C, SIGTERM: framework, then servers
                try {
                    out.printf("M800 runtime ready: Felix %s started at t+%d ms, %d bundles active at t+%d ms"
                            + " (t = JVM start)%n", runtime.frameworkVersion(), runtime.frameworkStartedAt() - jvmStartedAt,
                            runtime.bundles().size(), runtime.readyAt() - jvmStartedAt);
                    out.print(describeServers(options, servers, endpoints, serverMillis));
                    out.printf("  deploy:  %s%n  etc:     %s%n  storage: %s%n", options.deploy(), options.etc(),
                            options.storage());
                    out.flush();
                    runtime.startConsole();
                    if (options.scripted()) {
                        return runScript(runtime, options);
                    }
                    runtime.awaitStop();
                    return EXIT_OK;
                } finally {
                    removeShutdownHook(hook);
                }
            }
        } catch (StartupException e) {
            err.println("m800-runtime: startup failed: " + e.getMessage());
            return EXIT_STARTUP;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_STARTUP;
        } finally {
            // after the framework: its clients are closed before their server goes
            closeServers(servers);
        }
    }

    /** The lines of the ready message about the servers the clients use by default. */
    static String describeServers(RuntimeOptions options, List<EmbeddedServer> started, Map<String, String> endpoints,
            long startMillis) {
        StringBuilder text = new StringBuilder();
        for (EmbeddedServer server : started) {
            text.append(String.format("  server:  %s at %s, started in %d ms; data %s%n", server.name(), server.address(),
                    startMillis, options.serverData()));
            for (String notice : server.notices()) {
                text.append(String.format("  NOTE:    %s%n", notice));
            }
        }
        if (endpoints.isEmpty()) {
            text.append(String.format("  servers: none (%s); give them to m800:create, such as"
                    + " imServers=ws://host:port/v1/im signUpServers=http://host:port%n",
                    options.server() ? "this build embeds no server" : "--no-server"));
        } else {
            endpoints.forEach((key, value) -> text.append(String.format("  %-20s %s%n", key + ":", value)));
        }
        return text.toString();
    }

    private int runScript(M800Runtime runtime, RuntimeOptions options) throws StartupException {
        try (BufferedReader reader = options.scriptFromStdin()
                ? new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(options.script()), StandardCharsets.UTF_8);
                GogoSession session = GogoSession.open(runtime.context(), InputStream.nullInputStream(), out, err)) {
            Script script = new Script(reader);
            int count = 0;
            for (Optional<Script.Line> next = script.next(); next.isPresent(); next = script.next()) {
                Script.Line line = next.get();
                out.println(PROMPT + line.command());
                out.flush();
                if (RuntimeCommands.isExit(line.command())) {
                    break;
                }
                long begin = System.currentTimeMillis();
                try {
                    String result = session.execute(line.command());
                    if (result != null && !result.isEmpty()) {
                        out.println(result);
                    }
                } catch (Exception e) {
                    out.flush();
                    err.println("m800-runtime: script line " + line.number() + " failed: " + line.command());
                    err.println("  " + describe(e));
                    err.flush();
                    return EXIT_SCRIPT_FAILED;
                }
                long end = System.currentTimeMillis();
                count++;
                out.printf("# ok in %d ms (t+%d ms)%n", end - begin, end - jvmStartedAt);
                out.flush();
            }
            out.printf("m800-runtime: script done, %d command%s, t+%d ms; stopping%n", count, count == 1 ? "" : "s",
                    System.currentTimeMillis() - jvmStartedAt);
            out.flush();
            return EXIT_OK;
        } catch (IOException e) {
            err.println("m800-runtime: cannot read the script " + options.script() + ": " + e.getMessage());
            return EXIT_SCRIPT_FAILED;
        }
    }

    /** @return the exception and its causes, one line */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        Throwable previous = null;
        for (Throwable t = e; t != null; previous = t, t = t.getCause() == t ? null : t.getCause()) {
            if (previous != null && previous.getClass() == t.getClass()
                    && java.util.Objects.equals(previous.getMessage(), t.getMessage())) {
                continue; // a command that rethrows what it caught, to keep its own stack: said once
            }
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    private static void createFolders(RuntimeOptions options) throws StartupException {
        for (Path folder : new Path[] {options.deploy(), options.etc(), options.storage().getParent()}) {
            if (folder == null) {
                continue;
            }
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new StartupException("cannot create the folder " + folder + ": " + e, e);
            }
        }
    }

    /** Prepares the embedded servers; returns the endpoints they will serve, by client configuration key. */
    private Map<String, String> prepareServers(RuntimeOptions options, List<EmbeddedServer> prepared)
            throws StartupException {
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (EmbeddedServer server : ServiceLoader.load(EmbeddedServer.class, Main.class.getClassLoader())) {
            prepared.add(server); // closed in any case
            try {
                endpoints.putAll(server.prepare(options.serverData(), options.serverPort()));
            } catch (Exception e) {
                throw startFailure(server, options, e);
            }
        }
        return endpoints;
    }

    /** Starts the prepared servers on a thread of their own; completes with the milliseconds it took. */
    private static CompletableFuture<Long> startInBackground(RuntimeOptions options, List<EmbeddedServer> servers) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            long begin = System.currentTimeMillis();
            for (EmbeddedServer server : servers) {
                try {
                    server.start();
                } catch (Exception | LinkageError e) {
                    done.completeExceptionally(startFailure(server, options, e));
                    return;
                }
            }
            done.complete(System.currentTimeMillis() - begin);
        }, "m800-runtime-server-start");
        starter.setDaemon(true);
        starter.start();
        return done;
    }

    /** @return how long the servers took to start */
    private static long awaitServers(CompletableFuture<Long> started) throws StartupException, InterruptedException {
        try {
            return started.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw (StartupException) e.getCause();
        }
    }

    private static StartupException startFailure(EmbeddedServer server, RuntimeOptions options, Throwable e) {
        return new StartupException(server.name() + " did not start on 127.0.0.1:" + options.serverPort()
                + " with data in " + options.serverData() + ": " + describe(e)
                + (!causedBy(e, java.net.BindException.class) ? ""
                        : options.serverPort() == 0 ? " (another process took the free port picked for it; start again)"
                        : " (the port is taken; --server-port 0 picks a free one)"), e);
    }

    private void closeServers(List<EmbeddedServer> servers) {
        for (EmbeddedServer server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                err.println("m800-runtime: stopping " + server.name() + " failed: " + describe(e));
            }
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run
        }
    }

    private static void defaultSystemProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
