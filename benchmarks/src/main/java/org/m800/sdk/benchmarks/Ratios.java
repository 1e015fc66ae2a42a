package org.m800.sdk.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Issue 15's targets: W1 and W2 as ratios to the relay ceiling (W7b) measured in the same run with the
 * same warm-up, and the total CPU per message of W1. Rows are made only for the workloads that ran; a
 * ratio whose ceiling did not run is skipped with a note (a ceiling from another run does not count).
 */
final class Ratios {

    static final double MIN_THROUGHPUT_RATIO = 0.35;
    static final double MAX_P50_RATIO = 2;
    static final double MAX_P99_RATIO = 3;
    static final double MAX_CPU_US = 90;

    private Ratios() {
    }

    /** @return the ratio rows for {@code results} (empty when neither W1 nor W2 ran) */
    static List<Result> of(List<Result> results) {
        List<Result> rows = new ArrayList<>();
        throughput(results, "W1", "W7b", rows);
        throughput(results, "W1x" + ChatWorkload.PAIRS, "W7b.x" + ChatWorkload.PAIRS, rows);
        latency(results, "W2.p50", "W7b.oneway.p50", MAX_P50_RATIO, rows);
        latency(results, "W2.p99", "W7b.oneway.p99", MAX_P99_RATIO, rows);
        return rows;
    }

    private static void throughput(List<Result> results, String w1, String ceiling, List<Result> rows) {
        Optional<Double> rate = number(results, w1 + ".throughput");
        if (rate.isEmpty()) {
            return;
        }
        String target = ">=" + MIN_THROUGHPUT_RATIO;
        Optional<Double> max = number(results, ceiling + ".throughput");
        if (max.isEmpty()) {
            rows.add(Result.skip(w1 + ".ratio", w1 + " throughput / " + ceiling + " throughput", target,
                    "the ceiling was not measured in this run: add W7b to --only"));
        } else {
            double ratio = rate.get() / max.get();
            rows.add(Result.value(w1 + ".ratio", w1 + " throughput / " + ceiling + " throughput (medians)", target,
                    "x", ratio, Result.verdict(ratio >= MIN_THROUGHPUT_RATIO), String.format(Locale.ROOT,
                            "%.0f / %.0f msg/s; issue 15", rate.get(), max.get())));
        }
        Optional<Double> sdk = number(results, w1 + ".cpu.sdk");
        Optional<Double> server = number(results, w1 + ".cpu.server");
        Optional<Double> bareClients = number(results, ceiling + ".cpu.clients");
        Optional<Double> relay = number(results, ceiling + ".cpu.relay");
        if (sdk.isPresent() && server.isPresent() && bareClients.isPresent() && relay.isPresent()) {
            // on a machine others load, a process's share of the cores depends on them as much as on its
            // own cost; the CPU per message does not, and it sets the rate once both are CPU-bound
            double ratio = (bareClients.get() + relay.get()) / (sdk.get() + server.get());
            rows.add(Result.value(w1 + ".cpu.ratio", "  " + ceiling + " CPU/msg / " + w1 + " CPU/msg (medians)",
                    "- (estimate)", "x", ratio, Result.Verdict.INFO, String.format(Locale.ROOT,
                            "(%.0f + %.0f) / (%.0f + %.0f) us: the throughput ratio when both are CPU-bound",
                            bareClients.get(), relay.get(), sdk.get(), server.get())));
        }
        if (sdk.isPresent() && server.isPresent()) {
            double total = sdk.get() + server.get();
            rows.add(Result.value(w1 + ".cpu.total", w1 + " CPU per message, SDK + server (medians)",
                    "<=" + (int) MAX_CPU_US + " us", "us", total, Result.verdict(total <= MAX_CPU_US),
                    String.format(Locale.ROOT, "SDK %.0f + server %.0f us; issue 15", sdk.get(), server.get())));
        }
    }

    private static void latency(List<Result> results, String w2, String ceiling, double max, List<Result> rows) {
        Optional<Double> value = number(results, w2);
        if (value.isEmpty()) {
            return;
        }
        String target = "<=" + (int) max;
        Optional<Double> floor = number(results, ceiling);
        if (floor.isEmpty()) {
            rows.add(Result.skip(w2 + ".ratio", w2 + " / " + ceiling, target,
                    "the ceiling was not measured in this run: add W7b to --only"));
            return;
        }
        double ratio = value.get() / floor.get();
        rows.add(Result.value(w2 + ".ratio", w2 + " / " + ceiling + " (one-way latency)", target, "x", ratio,
                Result.verdict(ratio <= max), String.format(Locale.ROOT, "%.0f / %.0f us; issue 15", value.get(),
                        floor.get())));
    }

    /** @return a row's median (several runs) or value (one), if the row is there and measured */
    static Optional<Double> number(List<Result> results, String id) {
        for (Result r : results) {
            if (r.id().equals(id)) {
                if (r.stats() != null) {
                    return Optional.of(r.stats().median());
                }
                return Optional.ofNullable(r.value());
            }
        }
        return Optional.empty();
    }
}
