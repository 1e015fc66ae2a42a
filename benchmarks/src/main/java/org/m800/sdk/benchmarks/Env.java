package org.m800.sdk.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.m800.sdk.core.AppMeta;

/**
 * What every workload shares: the options, a scratch folder, the application the reference server
 * accepts by default, and small helpers for waiting, heap measurement and child processes.
 */
public final class Env {

    /** The development application every reference server accepts (see the server's README). */
    public static final AppMeta APP = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
            .applicationKey("dev-key").applicationSecret("dev-secret").developerKey("dev-developer")
            .applicationVersion("1.0").build();

    /** The password of every benchmark account. */
    public static final String PASSWORD = "bench-password-1";

    private final Options options;
    private final Path work;

    Env(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    /** @return the command-line options */
    public Options options() {
        return options;
    }

    /** @return a fresh folder under this run's scratch folder (deleted at the end of the run) */
    public Path scratch(String name) throws IOException {
        return Files.createDirectories(work.resolve(name));
    }

    /** @return the folder the benchmark jar (or its classes) lives in: {@code benchmarks/target} */
    public static Path targetDirectory() {
        try {
            URI location = Env.class.getProtectionDomain().getCodeSource().getLocation().toURI();
            Path p = Path.of(location);
            return p.getParent() != null ? p.getParent() : Path.of(".");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(".");
        }
    }

    /** Waits for a future, turning a timeout into an error that says what was awaited. */
    public static <T> T await(CompletableFuture<T> future, long timeoutMs, String what) throws Exception {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CorrectnessException(what + ": no answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw new Exception(what + ": " + ex, ex);
            }
            throw e;
        }
    }

    /** @return the used heap after several full collections, in bytes */
    public static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(150);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (i >= 2 && Math.abs(used - last) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }

    /** @return the command that starts a JVM like this one (same java binary) */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** @return this program's class path, to start a child JVM with the same classes */
    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** Deletes a folder tree; quiet about what cannot be deleted. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            }
        } catch (IOException e) {
            // best effort
        }
    }

    /** Sleeps without the checked exception's noise; bounded by the caller. */
    public static void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }
}
