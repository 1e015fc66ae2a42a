package org.m800.sdk.benchmarks;

import java.util.Arrays;

/**
 * Order statistics of a set of samples (nearest-rank percentiles).
 *
 * @param count how many samples
 * @param min the smallest
 * @param median the 50th percentile
 * @param p99 the 99th percentile
 * @param max the largest
 * @param mean the arithmetic mean
 */
public record Stats(int count, double min, double median, double p99, double max, double mean) {

    /** @throws IllegalArgumentException if there is no sample */
    public static Stats of(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return new Stats(s.length, s[0], percentile(s, 50), percentile(s, 99), s[s.length - 1], sum / s.length);
    }

    /** Nearest-rank percentile of sorted samples. */
    public static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
