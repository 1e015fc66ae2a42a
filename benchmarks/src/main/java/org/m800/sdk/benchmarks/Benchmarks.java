package org.m800.sdk.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the workloads of issue 7 against their targets, prints a table and writes it as JSON. Issue 15's
 * targets are ratios to the relay ceiling W7b measured in the same run ({@link Ratios}).
 * Exits 1 if a workload broke a correctness check or failed, 2 on a bad command line; a missed
 * target is a result (MISS), not a failure.
 *
 * <pre>java -jar benchmarks/target/m800-benchmarks.jar [--only W1,W2,W7b] [--clients 1000,10000]</pre>
 */
public final class Benchmarks {

    /**
     * The workloads, in the order of issue 7's table, with W1's contended variant and the relay ceiling
     * W7b of issue 15 right after W1 and W2, so that the ceiling is measured close in time to what is
     * compared with it.
     */
    static final List<Workload> WORKLOADS = List.of(
            ChatWorkload.w1(),
            ChatWorkload.w1x10(),
            ChatWorkload.w2(),
            new W7bJettyRelay(),
            new W3ConnectLogIn(),
            new W4ManyClients(),
            new W5FeatureBundle(),
            new W6RuntimeStart(),
            new W7JettyEcho(),
            new W8FileTransfer(),
            new W9MediaCalls(),
            new W10Calls());

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(Options.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        System.exit(run(options));
    }

    static int run(Options options) throws IOException {
        Map<String, Object> machine = machine();
        System.out.println("M800 SDK benchmarks, " + Instant.now());
        machine.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-16s %s%n", k, v));
        System.out.println();

        Path work = Files.createTempDirectory("m800-bench-");
        List<Result> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            Env env = new Env(options, work);
            for (Workload w : WORKLOADS) {
                if (!options.selected(w.id())) {
                    continue;
                }
                System.out.println("== " + w.id() + ": " + w.title());
                long t0 = System.nanoTime();
                try {
                    List<Result> rows = w.run(env);
                    rows.forEach(r -> System.out.println("   " + Table.line(r)));
                    results.addAll(rows);
                } catch (Exception | Error e) {
                    String kind = e instanceof CorrectnessException ? "correctness check failed" : "failed";
                    String message = w.id() + " " + kind + ": " + e;
                    System.out.println("   !! " + message);
                    e.printStackTrace(System.out);
                    failures.add(message);
                    results.add(new Result(w.id(), w.title(), "-", "", null, null, Result.Verdict.FAIL,
                            kind + ": " + e.getMessage()));
                }
                System.out.printf(Locale.ROOT, "   (%s took %.1f s)%n%n", w.id(), (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            Env.deleteTree(work);
        }

        List<Result> ratios = Ratios.of(results);
        if (!ratios.isEmpty()) {
            System.out.println("== issue 15: against the relay ceiling W7b of this run");
            ratios.forEach(r -> System.out.println("   " + Table.line(r)));
            System.out.println();
            results.addAll(ratios);
        }
        System.out.println(Table.render(results));
        java.nio.file.Path outFolder = options.out().toAbsolutePath().getParent();
        if (outFolder != null) {
            Files.createDirectories(outFolder);
        }
        Files.writeString(options.out(), Json.document(machine, results, failures));
        System.out.println("JSON: " + options.out());
        if (!failures.isEmpty()) {
            System.out.println("FAILED: " + String.join("; ", failures));
            return 1;
        }
        return 0;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        m.put("cores", rt.availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("maxHeapMiB", rt.maxMemory() / (1024 * 1024));
        m.put("gc", String.join(", ", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName()).toList()));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return m;
    }
}
