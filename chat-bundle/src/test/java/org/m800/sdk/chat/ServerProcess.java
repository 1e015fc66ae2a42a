package org.m800.sdk.chat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference server ({@code org.m800.server.Main}) in a child JVM on this test's class path, so that
 * a test can kill it as the operating system would ({@link #kill()}: SIGKILL, no shutdown hook runs).
 * Always {@link #close()} it.
 */
final class ServerProcess implements AutoCloseable {
    private static final String READY = "M800 reference server ready";

    private final int port;
    private final Path data;
    private Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream(); // synchronized

    private ServerProcess(int port, Path data) {
        this.port = port;
        this.data = data;
    }

    /** Starts a server on a free port of 127.0.0.1 with its database in {@code data}. */
    static ServerProcess start(Path data) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ServerProcess p = new ServerProcess(port, data);
        p.launch();
        return p;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.m800.server.Main",
                "--port", Integer.toString(port), "--data", data.toString());
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Process started = process;
        Thread reader = new Thread(() -> collect(started.getInputStream()), "server-process-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (output) {
            while (!output.toString(StandardCharsets.UTF_8).contains(READY)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !started.isAlive()) {
                    started.destroyForcibly();
                    throw new AssertionError("the server process did not start; output:\n" + output());
                }
                output.wait(Math.min(left, 200));
            }
            output.reset();
        }
    }

    private void collect(InputStream in) {
        byte[] buffer = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                synchronized (output) {
                    output.write(buffer, 0, n);
                    output.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process died: nothing more to read
        }
    }

    String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** SIGKILL: the process ends at once, with no shutdown hook and no close of its database. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the server process survived SIGKILL");
        }
    }

    /** Starts the server again on the same port and data. */
    void restart() throws IOException, InterruptedException {
        launch();
    }

    URI imUri() {
        return URI.create("ws://127.0.0.1:" + port + "/v1/im");
    }

    URI httpUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
