package org.m800.sdk.call;

/**
 * A quality warning of a call raised or cleared ({@link CallListener#qualityChanged}).
 *
 * @param metric what crossed its threshold
 * @param raised {@code true}: it went above {@link QualityMetric#raiseAbove()}; {@code false}: a warning
 *               raised before is cleared (the value is at or below {@link QualityMetric#clearAtOrBelow()})
 * @param value  the value that crossed (milliseconds, or percent for {@link QualityMetric#PACKET_LOSS})
 */
public record QualityWarning(QualityMetric metric, boolean raised, double value) {

    /** @throws IllegalArgumentException if {@code metric} is {@code null} */
    public QualityWarning {
        if (metric == null) {
            throw new IllegalArgumentException("metric must not be null");
        }
    }
}
