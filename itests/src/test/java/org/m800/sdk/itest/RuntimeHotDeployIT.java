package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The packaged runtime ({@code runtime/target/m800-runtime.jar}) in a separate process, driven
 * through {@code --script -}: a feature bundle dropped into its {@code deploy/} folder while it runs
 * becomes ready for a client created from the shell, and deleting the jar makes it unavailable.
 * A plain JUnit test (no Pax Exam): the framework is the runtime's own.
 */
public class RuntimeHotDeployIT {

    private static final long TIMEOUT_S = 60;
    private static final String APP_META = "carrier=m800.test applicationIdentifier=org.m800.sdk.itest"
            + " applicationKey=itest-key applicationSecret=itest-secret developerKey=itest-developer"
            + " applicationVersion=0.1.0";

    private Path home;
    private Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Thread reader;

    @Before
    public void buildBundles() throws IOException {
        TestBundles.buildAll();
        Path work = Path.of(System.getProperty("m800.itest.work", "target/itest-work"));
        Files.createDirectories(work);
        home = Files.createTempDirectory(work, "runtime-");
    }

    @After
    public void stopRuntime() throws Exception {
        try {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                assertTrue("the runtime process ends", process.waitFor(20, TimeUnit.SECONDS));
            }
            if (reader != null) {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            }
        } finally {
            deleteTree(home);
        }
    }

    @Test
    public void aBundleDroppedIntoDeployBecomesReadyAndDeletingItMakesItUnavailable() throws Exception {
        Path jar = runtimeJar();
        Path deploy = home.resolve("deploy");
        Files.createDirectories(deploy);
        // the test API the feature imports is there from the start; the feature itself comes later
        Files.copy(TestBundles.file(TestBundles.API), deploy.resolve("itest-api.jar"));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--script", "-", "--no-server", "--deploy", deploy.toString(),
                "--etc", home.resolve("etc").toString(), "--storage", home.resolve("storage").toString()));
        process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        reader = new Thread(() -> collect(process.getInputStream()), "itest-runtime-output");
        reader.setDaemon(true);
        reader.start();
        OutputStream stdin = process.getOutputStream();

        send(stdin, "m800:create demo " + APP_META + " imServers=ws://127.0.0.1:9/v1/im"
                + " dataDirectory=" + home.resolve("data").toString().replace('\\', '/'));
        send(stdin, "m800:await demo core 30");
        awaitOutput("feature core ready");

        // hot deploy: copy next to the folder, then move in whole, so FileInstall never sees half a jar
        Path staged = home.resolve("alpha.jar");
        Files.copy(TestBundles.file(TestBundles.ALPHA), staged);
        Files.move(staged, deploy.resolve("alpha.jar"), StandardCopyOption.ATOMIC_MOVE);
        send(stdin, "m800:await demo alpha 30");
        awaitOutput("feature alpha ready");
        send(stdin, "m800:status demo");
        send(stdin, "echo status-with-alpha-done");
        awaitOutput("status-with-alpha-done" + System.lineSeparator());
        String withAlpha = output();
        assertTrue(withAlpha, withAlpha.contains("feature alpha READY"));
        assertTrue(withAlpha, withAlpha.contains("module alpha.greeter BUILT"));

        int before = output().length();
        Files.delete(deploy.resolve("alpha.jar"));
        send(stdin, "m800:unavailable demo alpha 30");
        awaitOutput("feature alpha unavailable");
        send(stdin, "m800:status demo");
        send(stdin, "echo end-of-script");
        stdin.close();

        assertTrue("the runtime exits at the end of its script:\n" + output(), process.waitFor(TIMEOUT_S, TimeUnit.SECONDS));
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String out = output();
        assertEquals("exit status; output:\n" + out, 0, process.exitValue());
        String afterDelete = out.substring(before);
        assertFalse("alpha is not ready after its jar left deploy/:\n" + afterDelete,
                afterDelete.contains("feature alpha READY"));
        assertFalse(afterDelete, afterDelete.contains("module alpha.greeter BUILT"));
        assertFalse("no secret in the output", out.replace(APP_META, "").contains("itest-secret"));
    }

    private static Path runtimeJar() {
        String property = System.getProperty("m800.runtime.jar");
        if (property == null) {
            throw new IllegalStateException("system property m800.runtime.jar is not set: run through `mvn verify`");
        }
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " does not exist: build the runtime module first"
                    + " (`mvn verify` from the root builds it before itests)");
        }
        return jar;
    }

    private static void send(OutputStream stdin, String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private void collect(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (output) {
                    output.write(buffer, 0, n);
                    output.notifyAll();
                }
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    private String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits (on the output's monitor, with a deadline) until the runtime has printed {@code text}. */
    private void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        synchronized (output) {
            while (!output.toString(StandardCharsets.UTF_8).contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !output.toString(StandardCharsets.UTF_8).contains(text)) {
                    if (left > 0 && !process.isAlive()) {
                        // the process ended: the output is complete once the reader has drained it
                        output.wait(1000);
                        if (output.toString(StandardCharsets.UTF_8).contains(text)) {
                            return;
                        }
                    }
                    throw new AssertionError("the runtime did not print '" + text + "' within " + TIMEOUT_S
                            + " s (alive: " + process.isAlive() + "); output:\n" + output.toString(StandardCharsets.UTF_8));
                }
                TimeUnit.NANOSECONDS.timedWait(output, Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
