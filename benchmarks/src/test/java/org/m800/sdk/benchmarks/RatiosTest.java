package org.m800.sdk.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.Test;

/** Issue 15's ratio rows, from rows as the workloads make them. */
public class RatiosTest {

    private static Result runs(String id, double... values) {
        return Result.stats(id, id, "-", "x", Stats.of(values), Result.Verdict.INFO, "");
    }

    private static Result one(String id, double value) {
        return Result.value(id, id, "-", "us", value, Result.Verdict.INFO, "");
    }

    private static Map<String, Result> byId(List<Result> rows) {
        return rows.stream().collect(Collectors.toMap(Result::id, Function.identity()));
    }

    @Test
    public void w1AndW2AreSetAgainstTheCeilingOfTheSameRun() {
        List<Result> results = List.of(
                runs("W1.throughput", 3_000, 4_000, 5_000), runs("W1.cpu.sdk", 100), runs("W1.cpu.server", 80),
                runs("W2.p50", 300, 400, 500), one("W2.p99", 900),
                runs("W7b.throughput", 10_000, 10_000, 20_000), runs("W7b.cpu.clients", 20), runs("W7b.cpu.relay", 25),
                runs("W7b.oneway.p50", 100, 200, 300), one("W7b.oneway.p99", 450));
        Map<String, Result> rows = byId(Ratios.of(results));

        assertEquals(0.4, rows.get("W1.ratio").value(), 1e-9);
        assertEquals(Result.Verdict.PASS, rows.get("W1.ratio").verdict());
        assertEquals(180, rows.get("W1.cpu.total").value(), 1e-9);
        assertEquals(Result.Verdict.MISS, rows.get("W1.cpu.total").verdict());
        assertEquals(0.25, rows.get("W1.cpu.ratio").value(), 1e-9);
        assertEquals(Result.Verdict.INFO, rows.get("W1.cpu.ratio").verdict());
        assertEquals(2.0, rows.get("W2.p50.ratio").value(), 1e-9);
        assertEquals("at the limit passes", Result.Verdict.PASS, rows.get("W2.p50.ratio").verdict());
        assertEquals(2.0, rows.get("W2.p99.ratio").value(), 1e-9);
        assertEquals(Result.Verdict.PASS, rows.get("W2.p99.ratio").verdict());
        assertEquals("no W1x10 ran, so no row for it", 5, rows.size());
    }

    @Test
    public void withoutTheCeilingTheRatiosAreSkippedAndSaySo() {
        Map<String, Result> rows = byId(Ratios.of(List.of(runs("W1x10.throughput", 1_000), runs("W2.p50", 400))));
        assertEquals(Result.Verdict.SKIP, rows.get("W1x10.ratio").verdict());
        assertTrue(rows.get("W1x10.ratio").note(), rows.get("W1x10.ratio").note().contains("W7b"));
        assertEquals(Result.Verdict.SKIP, rows.get("W2.p50.ratio").verdict());
        assertEquals(2, rows.size());
    }

    @Test
    public void nothingToCompareGivesNoRow() {
        assertTrue(Ratios.of(List.of(runs("W3.restore", 4), runs("W7b.throughput", 1))).isEmpty());
    }

    @Test
    public void theRelayFramesCarryTheSeqBothEndsCheck() {
        assertEquals(1234, RelayRun.seqOf("{\"v\":1,\"type\":\"chat.send\",\"id\":\"r-1234\",\"data\":{}}"));
        assertEquals(-1, RelayRun.seqOf(RelayServer.PAIRED));
    }
}
