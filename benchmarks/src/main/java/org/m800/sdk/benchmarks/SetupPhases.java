package org.m800.sdk.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.MediaTimes;

/**
 * W10's set-up trace: for each measured call, when each phase happened after {@code call()} (invite,
 * ringing, answer, media start with the keys, first RTP sent and received, the jitter buffer's first frame,
 * the tone heard), and one informational row per phase with its min / median / max over the calls. Marks
 * made during the warm-up calls are dropped. With {@code -Dw10.trace=true} each call's phases are printed
 * in the order they happened (the medians of different phases come from different calls). Thread-safe
 * (marks come from listener threads).
 */
final class SetupPhases {

    private final int calls;
    private final Map<String, double[]> phases = new LinkedHashMap<>();
    private int call = -1;
    private long start;

    SetupPhases(int calls) {
        this.calls = calls;
    }

    /** A new call ({@code index} < 0 for a warm-up call, whose marks are dropped) placed at {@code startNanos}. */
    synchronized void begin(int index, long startNanos) {
        call = index;
        start = startNanos;
    }

    /** The phase happened now. */
    void mark(String phase) {
        at(phase, System.nanoTime());
    }

    /** The phase happened at {@code nanos} (of {@link System#nanoTime()}); the first mark of a call counts. */
    synchronized void at(String phase, long nanos) {
        if (call < 0 || nanos < 0) {
            return;
        }
        double[] samples = phases.computeIfAbsent(phase, p -> {
            double[] fresh = new double[calls];
            java.util.Arrays.fill(fresh, Double.NaN);
            return fresh;
        });
        if (Double.isNaN(samples[call])) {
            samples[call] = (nanos - start) / 1e6;
        }
    }

    /** The media phases of one side's leg. */
    void media(String side, MediaSession leg) {
        MediaTimes t = leg.times();
        at(side + ": media started (answer and peer's key known)", t.startedNanos());
        at(side + ": first RTP packet sent", t.firstSentNanos());
        at(side + ": first RTP packet received", t.firstReceivedNanos());
        at(side + ": jitter buffer's first audio frame played", t.firstPlayedNanos());
    }

    /** @return one INFO row per phase, in order of their medians */
    synchronized List<Result> rows() {
        if (Boolean.getBoolean("w10.trace")) {
            for (int c = 0; c < calls; c++) {
                StringBuilder line = new StringBuilder("call " + c + ":");
                final int k = c;
                phases.entrySet().stream().sorted(java.util.Comparator.comparingDouble(e -> e.getValue()[k]))
                        .forEach(e -> line.append(String.format(Locale.ROOT, " %.1f %s |", e.getValue()[k], e.getKey())));
                System.err.println(line);
            }
        }
        List<Result> rows = new ArrayList<>();
        phases.forEach((phase, samples) -> {
            double[] seen = java.util.Arrays.stream(samples).filter(d -> !Double.isNaN(d)).toArray();
            if (seen.length > 0) {
                rows.add(Result.stats("W10.phase", "set-up: " + phase, "-", "ms after call()", Stats.of(seen),
                        Result.Verdict.INFO, String.format(Locale.ROOT, "%d of %d calls", seen.length, calls)));
            }
        });
        rows.sort(java.util.Comparator.comparingDouble(r -> r.stats().median()));
        return rows;
    }
}
