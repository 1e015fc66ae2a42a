package org.m800.sdk.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * W7b: the relay ceiling of issue 15, W1's and W2's topology without the SDK and the server. A bare Jetty
 * 12 WebSocket relay ({@link RelayServer}) in a child JVM of its own, where W1 has the reference server;
 * the clients ({@link RelayRun}) in another, where W1 has the chat clients. A<sub>i</sub> sends frames of
 * the size of the SDK's {@code chat.send}; the relay forwards them to B<sub>i</sub>, whose answer (the size
 * of the server's response) the relay forwards back to A<sub>i</sub>: four frame crossings of loopback per
 * message, as in W1. Same warm-up, message counts and window as W1 (one pair, and {@value ChatWorkload#PAIRS}
 * pairs like W1x10) and W2; each phase with fresh JVMs, like W1 and W2.
 *
 * <p>{@link Ratios} then sets W1 and W2 against these rows.
 */
final class W7bJettyRelay implements Workload {

    @Override
    public String id() {
        return "W7B";
    }

    @Override
    public String title() {
        return "relay ceiling: bare Jetty WebSocket relay in its own JVM, A -> relay -> B and B's answer back";
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        List<Result> rows = new ArrayList<>();
        rows.addAll(throughputRows("W7b", 1, phase("W1", 1, ChatWorkload.W1_MESSAGES, ChatWorkload.W1_RUNS)));
        rows.addAll(throughputRows("W7b.x" + ChatWorkload.PAIRS, ChatWorkload.PAIRS,
                phase("W1", ChatWorkload.PAIRS, ChatWorkload.W1_MESSAGES, ChatWorkload.W1_RUNS)));
        rows.addAll(latencyRows(phase("W2", 1, ChatWorkload.W2_MESSAGES, 1)));
        return rows;
    }

    /** Starts a relay and the clients for one phase; returns the clients' RESULT lines. */
    private static List<String> phase(String mode, int pairs, int messages, int runs) throws Exception {
        try (ChildProcess relay = ChildProcess.start(List.of(Env.javaBinary(), "-Xmx1g", "-cp", Env.classPath(),
                RelayServer.class.getName()), null)) {
            String ready = relay.awaitLine(l -> l.startsWith("RELAY READY "), 60_000, "W7b relay start").text();
            String port = ready.substring("RELAY READY ".length()).strip();
            try (ChildProcess clients = ChildProcess.start(List.of(Env.javaBinary(), "-Xmx1g", "-cp", Env.classPath(),
                    RelayRun.class.getName(), mode, port, Long.toString(relay.pid()), Integer.toString(pairs),
                    Integer.toString(messages), Integer.toString(runs)), null)) {
                int status = clients.awaitExit(ChatWorkload.TIMEOUT_MS);
                CorrectnessException.check(status == 0, "the W7b clients ended with status " + status
                        + (status == ChatSchedule.EXIT_CHECK_FAILED ? " (a check failed)" : "") + "; output:\n"
                        + clients.output());
                List<String> results = new ArrayList<>();
                for (ChildProcess.Line l : clients.lines()) {
                    if (l.text().startsWith("RESULT ")) {
                        results.add(l.text());
                    }
                }
                return results;
            }
        }
    }

    private static List<Result> throughputRows(String id, int pairs, List<String> lines) {
        int n = lines.size();
        CorrectnessException.check(n == ChatWorkload.W1_RUNS, "expected " + ChatWorkload.W1_RUNS + " " + id
                + " results, got " + lines);
        double[] rate = new double[n];
        double[] clientCpu = new double[n];
        double[] relayCpu = new double[n];
        for (int i = 0; i < n; i++) {
            // RESULT W7B pairs run messages wall clientCpu relayCpu
            String[] f = lines.get(i).split(" ");
            long messages = Long.parseLong(f[4]);
            rate[i] = messages / (Long.parseLong(f[5]) / 1e9);
            clientCpu[i] = Long.parseLong(f[6]) / 1e3 / messages;
            relayCpu[i] = Long.parseLong(f[7]) / 1e3 / messages;
        }
        String who = pairs == 1 ? "A to B" : pairs + " As to their Bs";
        return List.of(
                Result.stats(id + ".throughput", "relay frames/s " + who + ", each answered", "- (ceiling)", "msg/s",
                        Stats.of(rate), Result.Verdict.INFO, ChatWorkload.W1_MESSAGES + " per run after "
                                + ChatSchedule.WARM_UP_BURSTS * ChatWorkload.W1_MESSAGES + " for warm-up, "
                                + ChatSchedule.IN_FLIGHT + " in flight over all pairs; order checked at both ends"),
                Result.stats(id + ".cpu.clients", "  bare clients' CPU per message", "-", "us", Stats.of(clientCpu),
                        Result.Verdict.INFO, "the clients' JVM (beside W1's SDK CPU)"),
                Result.stats(id + ".cpu.relay", "  relay CPU per message", "-", "us", Stats.of(relayCpu),
                        Result.Verdict.INFO, "the relay's JVM (beside W1's server CPU)"));
    }

    private static List<Result> latencyRows(List<String> lines) {
        CorrectnessException.check(lines.size() == 1, "expected one W7b latency result, got " + lines.size());
        String[] f = lines.get(0).split(" ");
        double[] micros = new double[f.length - 2];
        for (int i = 2; i < f.length; i++) {
            micros[i - 2] = Long.parseLong(f[i]) / 1e3;
        }
        Stats s = Stats.of(micros);
        return List.of(
                Result.stats("W7b.oneway.p50", "one-way A -> relay -> B, median", "- (ceiling)", "us", s,
                        Result.Verdict.INFO, micros.length + " frames one at a time after " + ChatSchedule.W2_WARM_UP
                                + " for warm-up, as W2"),
                Result.value("W7b.oneway.p99", "one-way A -> relay -> B, 99th percentile", "- (ceiling)", "us",
                        s.p99(), Result.Verdict.INFO, String.format(Locale.ROOT, "max %.0f us", s.max())));
    }
}
