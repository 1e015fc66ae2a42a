package org.m800.sdk.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar m800-runtime.jar ...} in a separate process, its standard output and error merged
 * and collected. Always {@link #close()} it (in {@code finally}): that kills the process if it still runs.
 */
final class RuntimeProcess implements AutoCloseable {

    private final Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream(); // synchronized
    private final Thread reader;

    private RuntimeProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::collect, "runtime-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts the runtime jar named by the system property {@code m800.runtime.jar} with {@code args}. */
    static RuntimeProcess start(Path workingDirectory, String... args) throws IOException {
        String jar = System.getProperty("m800.runtime.jar");
        if (jar == null) {
            throw new IllegalStateException("system property m800.runtime.jar is not set; run with 'mvn verify'");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
        return new RuntimeProcess(builder.start());
    }

    /** @return the process's standard input */
    OutputStream stdin() {
        return process.getOutputStream();
    }

    /**
     * Waits for the process to end.
     *
     * @return its exit status
     * @throws AssertionError with the output so far if it has not ended within the timeout
     */
    int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            throw new AssertionError("the runtime did not exit within " + timeout + " " + unit + "; output:\n" + output());
        }
        reader.join(unit.toMillis(timeout)); // the rest of the output, up to the end of the stream
        return process.exitValue();
    }

    /** @return what the process printed so far */
    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /**
     * Waits until the output contains {@code text}.
     *
     * @throws AssertionError with the output so far if it does not within the timeout
     */
    void awaitOutput(String text, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (output) {
            while (!output().contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    throw new AssertionError("no '" + text + "' in the output within " + timeout + " " + unit
                            + "; output:\n" + output());
                }
                TimeUnit.NANOSECONDS.timedWait(output, left);
            }
        }
    }

    /**
     * Asks the process to end, as {@code kill} does (SIGTERM), keeping its output readable (unlike
     * {@link Process#destroy()}, which closes the streams).
     */
    void terminate() {
        process.toHandle().destroy();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void collect() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                synchronized (output) {
                    output.write(buffer, 0, n);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            output.writeBytes(("\n[reading the output failed: " + e + "]").getBytes(StandardCharsets.UTF_8));
        } finally {
            synchronized (output) {
                output.notifyAll();
            }
        }
    }
}
