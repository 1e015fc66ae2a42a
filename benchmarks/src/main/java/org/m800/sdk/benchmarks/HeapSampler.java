package org.m800.sdk.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap of another JVM (a child server), seen from outside with the JDK's {@code jstat} (it reads
 * the JVM's performance counters; nothing is attached to the JVM) and {@code jcmd GC.run} for the
 * after-collection figures. Used heap = survivor + eden + old generation in use.
 */
final class HeapSampler implements AutoCloseable {
    private final Process jstat;
    private final Thread reader;
    final AtomicLong peak = new AtomicLong();

    private HeapSampler(long pid, Process jstat) {
        this.jstat = jstat;
        this.reader = new Thread(this::read, "heap-sampler-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts sampling every 100 ms. */
    static HeapSampler start(long pid) throws IOException {
        Process p = new ProcessBuilder(tool("jstat"), "-gc", Long.toString(pid), "100").redirectErrorStream(true)
                .start();
        return new HeapSampler(pid, p);
    }

    /** @return bytes of heap in use right after a full collection of the JVM */
    static long usedAfterGc(long pid) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(tool("jcmd"), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        if (!gc.waitFor(60, TimeUnit.SECONDS)) {
            gc.destroyForcibly();
            throw new IOException("jcmd GC.run did not end");
        }
        Process once = new ProcessBuilder(tool("jstat"), "-gc", Long.toString(pid)).redirectErrorStream(true).start();
        List<String> lines = new String(once.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        once.waitFor(60, TimeUnit.SECONDS);
        if (lines.size() < 2) {
            throw new IOException("jstat answered: " + lines);
        }
        return used(lines.get(0), lines.get(1));
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                StandardCharsets.UTF_8))) {
            String header = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.strip().startsWith("S0C")) {
                    header = line;
                } else if (header != null) {
                    long used = used(header, line);
                    if (used >= 0) {
                        peak.accumulateAndGet(used, Math::max);
                    }
                }
            }
        } catch (IOException e) {
            // jstat ended
        }
    }

    /** @return bytes used (S0U + S1U + EU + OU, which jstat gives in KiB), or -1 for a line that is not a sample */
    static long used(String header, String line) {
        List<String> names = Arrays.asList(header.strip().split("\\s+"));
        String[] values = line.strip().split("\\s+");
        double kib = 0;
        try {
            for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                kib += Double.parseDouble(values[names.indexOf(column)]);
            }
        } catch (RuntimeException e) {
            return -1;
        }
        return (long) (kib * 1024);
    }

    private static String tool(String name) {
        return Path.of(Env.javaBinary()).resolveSibling(name).toString();
    }

    @Override
    public void close() throws InterruptedException {
        jstat.destroy();
        if (!jstat.waitFor(10, TimeUnit.SECONDS)) {
            jstat.destroyForcibly();
        }
        reader.join(10_000);
    }

}
