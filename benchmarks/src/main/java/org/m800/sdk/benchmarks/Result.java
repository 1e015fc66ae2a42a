package org.m800.sdk.benchmarks;

/**
 * One row of the results table.
 *
 * @param id the workload id and the row's name within it, such as {@code W3.plain.total}
 * @param what what was measured, for people
 * @param target the target, for people ({@code -} when the row is informational)
 * @param unit the unit of the numbers, such as {@code ms}
 * @param stats min/median/max of several runs, or {@code null} when the row is a single value
 * @param value the single value, when {@code stats} is {@code null}
 * @param verdict whether the target is met
 * @param note what limits it, how it was measured, or why the row was skipped
 */
public record Result(String id, String what, String target, String unit, Stats stats, Double value, Verdict verdict,
        String note) {

    /** Whether a row meets its target. */
    public enum Verdict {
        /** The target is met. */
        PASS,
        /** The target is missed. */
        MISS,
        /** Informational: no target of its own. */
        INFO,
        /** Not measured (a prerequisite is missing); the note says why. */
        SKIP,
        /** The workload broke a correctness check or failed; the run exits non-zero. */
        FAIL
    }

    static Result stats(String id, String what, String target, String unit, Stats stats, Verdict verdict, String note) {
        return new Result(id, what, target, unit, stats, null, verdict, note);
    }

    static Result value(String id, String what, String target, String unit, double value, Verdict verdict,
            String note) {
        return new Result(id, what, target, unit, null, value, verdict, note);
    }

    static Result skip(String id, String what, String target, String note) {
        return new Result(id, what, target, "", null, null, Verdict.SKIP, note);
    }

    /** @return PASS if {@code ok}, else MISS */
    static Verdict verdict(boolean ok) {
        return ok ? Verdict.PASS : Verdict.MISS;
    }
}
