package org.m800.sdk.benchmarks;

import java.util.List;
import java.util.Locale;

/** The printed table. */
final class Table {

    private Table() {
    }

    static String render(List<Result> results) {
        StringBuilder b = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-28s %-46s %-16s %-36s %s", "id", "what", "target",
                "min / median / max (or value)", "verdict");
        b.append(header).append('\n').append("-".repeat(header.length() + 4)).append('\n');
        for (Result r : results) {
            b.append(line(r)).append('\n');
            if (r.note() != null && !r.note().isEmpty()) {
                b.append(String.format(Locale.ROOT, "%-28s   %s%n", "", r.note()));
            }
        }
        return b.toString();
    }

    static String line(Result r) {
        return String.format(Locale.ROOT, "%-28s %-46s %-16s %-36s %s", r.id(), clip(r.what(), 46), r.target(),
                numbers(r), r.verdict());
    }

    static String numbers(Result r) {
        if (r.stats() != null) {
            return fmt(r.stats().min()) + " / " + fmt(r.stats().median()) + " / " + fmt(r.stats().max()) + " "
                    + r.unit() + " (n=" + r.stats().count() + ")";
        }
        if (r.value() != null) {
            return fmt(r.value()) + " " + r.unit();
        }
        return "-";
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
