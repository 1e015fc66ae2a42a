package org.m800.sdk.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W6: the runtime process from launch until a client created by the shell is READY: wall time from
 * starting {@code java -jar m800-runtime.jar --script ...} (with {@code m800:create} and
 * {@code m800:await <id> core}) to the line {@code feature core ready}. One cold run (file cache) is
 * not counted. The runtime's own timestamps split the time into JVM + Felix, bundles active, and
 * the client's creation. All runs share one {@code --home}, as restarts do: the first (not counted,
 * shown as W6.first) makes the bundle cache and the server's database that the others reuse.
 */
final class W6RuntimeStart implements Workload {

    static final int WARMUP = 1;
    static final int RUNS = 5;
    private static final Pattern BANNER = Pattern.compile(
            "Felix \\S+ started at t\\+(\\d+) ms, (\\d+) bundles active at t\\+(\\d+) ms");
    private static final Pattern OK = Pattern.compile("# ok in (\\d+) ms \\(t\\+(\\d+) ms\\)");

    @Override
    public String id() {
        return "W6";
    }

    @Override
    public String title() {
        return "runtime process start until a shell-created client is READY";
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        Path runtime = env.options().runtimeJar();
        if (runtime == null) {
            return List.of(Result.skip("W6.start", "runtime launch until READY", "<=1000 ms",
                    "runtime/target/m800-runtime.jar not found: build it (see README) or pass --runtime-jar"));
        }
        double[] wall = new double[RUNS];
        double[] cpu = new double[RUNS];
        double[] felix = new double[RUNS];
        double[] bundles = new double[RUNS];
        double[] create = new double[RUNS];
        double[] server = new double[RUNS];
        double[] first = new double[WARMUP];
        double[] firstCpu = new double[WARMUP];
        boolean embeddedServer = false;
        int bundleCount = 0;
        // one home for all runs, as a user restarts the runtime: the first start (not counted) makes its
        // bundle cache and server data, the others reuse them; each run's client gets a new folder
        Path home = env.scratch("w6");
        for (int i = -WARMUP; i < RUNS; i++) {
            List<String> script = List.of(RuntimeScript.createLine("w6", home.resolve("client-" + (i + WARMUP))),
                    "m800:await w6 core 30");
            try (ChildProcess p = RuntimeScript.start(runtime, home, script)) {
                ChildProcess.Line ready = p.awaitLine(l -> l.contains("feature core ready"), 60_000,
                        "W6 'feature core ready'");
                double cpuMs = p.cpuMillis();
                ChildProcess.Line banner = p.lines().stream().filter(l -> BANNER.matcher(l.text()).find())
                        .findFirst().orElseThrow(() -> new CorrectnessException("W6: no start-up banner in\n"
                                + p.output()));
                int status = p.awaitExit(60_000);
                CorrectnessException.check(status == 0, "W6: runtime exited " + status + "\n" + p.output());
                double wallMs = (ready.nanos() - p.startNanos()) / 1e6;
                if (i < 0) {
                    first[i + WARMUP] = wallMs;
                    firstCpu[i + WARMUP] = cpuMs;
                    continue;
                }
                wall[i] = wallMs;
                cpu[i] = cpuMs;
                Matcher m = BANNER.matcher(banner.text());
                m.find();
                felix[i] = Double.parseDouble(m.group(1));
                bundleCount = Integer.parseInt(m.group(2));
                bundles[i] = Double.parseDouble(m.group(3));
                create[i] = firstOk(p.lines());
                for (ChildProcess.Line l : p.lines()) {
                    if (l.text().contains("reference server ready")) {
                        server[i] = (l.nanos() - p.startNanos()) / 1e6;
                        embeddedServer = true;
                        break;
                    }
                }
            }
        }
        Stats s = Stats.of(wall);
        List<Result> rows = new ArrayList<>();
        rows.add(Result.stats("W6.start", "launch until `feature core ready` (wall)", "<=1000 ms", "ms", s,
                Result.verdict(s.median() <= 1000), "java -jar m800-runtime.jar --script (m800:create, m800:await),"
                        + " restarted in the same --home (bundle cache and server data kept)"));
        rows.add(Result.stats("W6.cpu", "  runtime CPU time until `feature core ready`", "-", "ms", Stats.of(cpu),
                Result.Verdict.INFO, "all threads of the runtime JVM (JIT included); steadier than wall time on a"
                        + " busy machine"));
        rows.add(Result.stats("W6.first", "  first start in a new --home (wall)", "-", "ms", Stats.of(first),
                Result.Verdict.INFO, String.format(java.util.Locale.ROOT, "CPU %.0f ms; makes the bundle cache"
                        + " and the server's database", Stats.of(firstCpu).median())));
        if (embeddedServer) {
            rows.add(Result.stats("W6.server", "  launch until the embedded server is ready", "-", "ms",
                    Stats.of(server), Result.Verdict.INFO, "wall; the runtime starts it before Felix"));
        }
        rows.add(Result.stats("W6.felix", "  JVM start until Felix started", "-", "ms", Stats.of(felix),
                Result.Verdict.INFO, "runtime's own t+ (from JVM start)"));
        rows.add(Result.stats("W6.bundles", "  JVM start until " + bundleCount + " bundles active", "-", "ms",
                Stats.of(bundles), Result.Verdict.INFO, ""));
        rows.add(Result.stats("W6.create", "  m800:create (first client) in the shell", "-", "ms",
                Stats.of(create), Result.Verdict.INFO, "the shell's own timing of the command"));
        return rows;
    }

    private static double firstOk(List<ChildProcess.Line> lines) {
        for (ChildProcess.Line l : lines) {
            Matcher m = OK.matcher(l.text());
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        throw new CorrectnessException("W6: no '# ok in' line after m800:create");
    }
}
