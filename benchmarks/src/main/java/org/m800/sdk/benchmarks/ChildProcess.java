package org.m800.sdk.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM (the runtime, or the reference server) whose output lines are collected with the
 * {@link System#nanoTime()} at which each arrived. Closing it terminates the process and waits for it.
 */
final class ChildProcess implements AutoCloseable {

    /** An output line and when it was read. */
    record Line(String text, long nanos) {
    }

    private static final Line END = new Line("", 0);

    private final Process process;
    private final long startNanos;
    private final LinkedBlockingQueue<Line> queue = new LinkedBlockingQueue<>();
    private final List<Line> all = new ArrayList<>();

    private ChildProcess(Process process, long startNanos) {
        this.process = process;
        this.startNanos = startNanos;
        Thread reader = new Thread(this::pump, "bench-child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        // a benchmark stopped with Ctrl-C or SIGTERM leaves no server or runtime behind
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "bench-child-reaper"));
    }

    /** Starts {@code command} in {@code directory}, standard error merged into standard output. */
    static ChildProcess start(List<String> command, Path directory) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        return new ChildProcess(p, t0);
    }

    /** @return the process id */
    long pid() {
        return process.pid();
    }

    /** @return the CPU time the process has used so far, all its threads, in milliseconds; -1 if unknown */
    double cpuMillis() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(-1.0);
    }

    /** @return the nanoTime just before the process was launched */
    long startNanos() {
        return startNanos;
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                queue.add(new Line(line, System.nanoTime()));
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            queue.add(END);
        }
    }

    /**
     * @return the first line (after those already consumed) matching {@code match}
     * @throws CorrectnessException if the process ends or the time runs out first; the message
     *         carries the output so far
     */
    Line awaitLine(Predicate<String> match, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            Line line = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null || line == END) {
                if (line == END) {
                    queue.add(END);
                }
                throw new CorrectnessException(what + ": " + (line == null ? "not seen within " + timeoutMs + " ms"
                        : "the process ended first") + "; output:\n" + output());
            }
            all.add(line);
            if (match.test(line.text())) {
                return line;
            }
        }
    }

    /** Waits for the process to end by itself, collecting the rest of its output. */
    int awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new CorrectnessException("child process did not end within " + timeoutMs + " ms; output:\n"
                    + output());
        }
        Line line;
        while ((line = queue.poll(2, TimeUnit.SECONDS)) != null && line != END) {
            all.add(line);
        }
        return process.exitValue();
    }

    /** @return the lines consumed so far */
    List<Line> lines() {
        return all;
    }

    String output() {
        StringBuilder b = new StringBuilder();
        for (Line l : all) {
            b.append("  | ").append(l.text()).append('\n');
        }
        return b.toString();
    }

    /** Terminates the process (SIGTERM, then SIGKILL after 10 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
