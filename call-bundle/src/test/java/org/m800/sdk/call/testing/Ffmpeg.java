package org.m800.sdk.call.testing;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code ffmpeg} as the far end of interoperability tests. A test that needs it fails with a
 * message saying how to install it when it is missing; it never skips.
 */
public final class Ffmpeg implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Ffmpeg(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Fails the test, saying what to do, when there is no {@code ffmpeg} on the PATH. */
    public static void requireInstalled() {
        boolean found = false;
        try {
            Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            found = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            found = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertTrue("ffmpeg is not installed: this interoperability test needs Debian's ffmpeg "
                + "(apt-get install ffmpeg; .ci/run installs it)", found);
    }

    /** Starts {@code ffmpeg -hide_banner -loglevel warning <args>}, its output to a log file. */
    public static Ffmpeg start(Path workDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-y"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "ffmpeg", ".log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new Ffmpeg(process, log);
    }

    /**
     * Waits for ffmpeg to end.
     *
     * @throws AssertionError with its output if it does not end in time or ends with an error
     */
    public void awaitSuccess(long seconds) throws InterruptedException, IOException {
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("ffmpeg did not finish within " + seconds + " s: " + output());
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("ffmpeg failed (" + process.exitValue() + "): " + output());
        }
    }

    /** @return what ffmpeg printed so far */
    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return a UDP port of 127.0.0.1 free now (and its successor, for ffmpeg's RTCP) */
    public static int freeUdpPortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                int port = a.getLocalPort();
                if (port % 2 != 0 || port >= 65534) {
                    continue;
                }
                try (DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1))) {
                    b.setReuseAddress(false);
                    return port;
                } catch (IOException e) {
                    // taken: try another
                }
            }
        }
        throw new IOException("no free pair of UDP ports");
    }
}
