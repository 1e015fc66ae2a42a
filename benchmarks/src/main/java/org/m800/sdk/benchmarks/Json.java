package org.m800.sdk.benchmarks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes the results as one JSON document (no library: the shape is small and fixed). */
final class Json {

    private Json() {
    }

    static String document(Map<String, Object> machine, List<Result> results, List<String> failures) {
        StringBuilder b = new StringBuilder("{\n  \"time\": ").append(str(Instant.now().toString()));
        b.append(",\n  \"machine\": {");
        String sep = "";
        for (Map.Entry<String, Object> e : machine.entrySet()) {
            b.append(sep).append("\n    ").append(str(e.getKey())).append(": ").append(value(e.getValue()));
            sep = ",";
        }
        b.append("\n  },\n  \"results\": [");
        sep = "";
        for (Result r : results) {
            b.append(sep).append("\n    {\"id\": ").append(str(r.id())).append(", \"what\": ").append(str(r.what()))
                    .append(", \"target\": ").append(str(r.target())).append(", \"unit\": ").append(str(r.unit()));
            if (r.stats() != null) {
                Stats s = r.stats();
                b.append(", \"n\": ").append(s.count()).append(", \"min\": ").append(num(s.min()))
                        .append(", \"median\": ").append(num(s.median())).append(", \"p99\": ").append(num(s.p99()))
                        .append(", \"max\": ").append(num(s.max())).append(", \"mean\": ").append(num(s.mean()));
            }
            if (r.value() != null) {
                b.append(", \"value\": ").append(num(r.value()));
            }
            b.append(", \"verdict\": ").append(str(r.verdict().name())).append(", \"note\": ")
                    .append(str(r.note() == null ? "" : r.note())).append('}');
            sep = ",";
        }
        b.append("\n  ],\n  \"failures\": [");
        sep = "";
        for (String f : failures) {
            b.append(sep).append("\n    ").append(str(f));
            sep = ",";
        }
        return b.append("\n  ]\n}\n").toString();
    }

    private static String value(Object v) {
        return v instanceof Number n ? num(n.doubleValue()) : str(String.valueOf(v));
    }

    private static String num(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
