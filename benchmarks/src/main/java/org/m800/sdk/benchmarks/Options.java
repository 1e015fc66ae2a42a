package org.m800.sdk.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The command line.
 *
 * @param only the workload ids to run; empty for all
 * @param clientsSmall W4's first step (default 1,000 clients)
 * @param clientsLarge W4's second step (default 10,000 clients)
 * @param out where the JSON goes
 * @param runtimeJar the runtime jar W5 and W6 start, or {@code null} if it was not found
 * @param state where W4 keeps the accounts it signed up, to reuse them in the next run
 */
public record Options(Set<String> only, int clientsSmall, int clientsLarge, Path out, Path runtimeJar, Path state) {

    static final String USAGE = """
            Usage: java -jar benchmarks/target/m800-benchmarks.jar [options]
              --only W3,W7        run only these workloads (default: all): W1, W1x10, W2,
                                  W7b (the relay ceiling W1/W2 are compared with), W3...W7
              --clients 1000,10000  W4's two steps (default 1000,10000)
              --out <file>        JSON results (default benchmarks/target/benchmarks.json)
              --runtime-jar <f>   the runtime W5/W6 start (default runtime/target/m800-runtime.jar,
                                  looked up from the working folder and beside this jar's module)
              --state <dir>       W4's signed-up accounts, reused by later runs
                                  (default benchmarks/target/bench-state; delete it to start afresh)
              --help              this text
            """;

    static Options parse(String... args) {
        Set<String> only = new LinkedHashSet<>();
        int small = 1_000;
        int large = 10_000;
        Path target = Env.targetDirectory();
        Path out = target.resolve("benchmarks.json");
        Path runtime = null;
        Path state = target.resolve("bench-state");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--only" -> Arrays.stream(value(args, ++i, a).split("[, ]+")).filter(s -> !s.isBlank())
                        .map(s -> s.strip().toUpperCase(Locale.ROOT)).forEach(only::add);
                case "--clients" -> {
                    String[] parts = value(args, ++i, a).split(",");
                    small = Integer.parseInt(parts[0].strip());
                    large = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : small;
                    if (small < 1 || large < small) {
                        throw new IllegalArgumentException("--clients needs 1 <= first <= second");
                    }
                }
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--runtime-jar" -> runtime = Path.of(value(args, ++i, a));
                case "--state" -> state = Path.of(value(args, ++i, a));
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (runtime == null) {
            for (Path candidate : new Path[] {Path.of("runtime", "target", "m800-runtime.jar"),
                Path.of("..", "runtime", "target", "m800-runtime.jar"),
                target.resolve("../../runtime/target/m800-runtime.jar").normalize()}) {
                if (Files.isRegularFile(candidate)) {
                    runtime = candidate.toAbsolutePath().normalize();
                    break;
                }
            }
        } else if (!Files.isRegularFile(runtime)) {
            throw new IllegalArgumentException("--runtime-jar " + runtime + ": no such file");
        }
        return new Options(Set.copyOf(only), small, large, out.toAbsolutePath(), runtime,
                state.toAbsolutePath().normalize());
    }

    /** @return whether the workload is selected */
    boolean selected(String id) {
        return only.isEmpty() || only.contains(id.toUpperCase(Locale.ROOT));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
