package org.m800.sdk.call.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.m800.sdk.call.QualityMetric;
import org.m800.sdk.call.QualityWarning;
import org.m800.sdk.call.internal.media.MediaStats;

/**
 * Turns a call's statistics into quality warnings: each {@link QualityMetric} is raised above its threshold
 * and cleared at or below the lower one. The receive-side loss is counted over windows of at least
 * {@value #LOSS_WINDOW} expected packets (one statistics update covers too few for a percentage to mean
 * anything). Thread-safe: the media threads call {@link #update} concurrently.
 */
final class QualityMonitor {

    static final int LOSS_WINDOW = 50;

    private final EnumSet<QualityMetric> raised = EnumSet.noneOf(QualityMetric.class);
    private long windowReceived;
    private long windowLost;
    private double receiveLossPercent;

    /** @return the warnings raised or cleared by these statistics, in {@link QualityMetric} order */
    synchronized List<QualityWarning> update(MediaStats stats) {
        long expected = stats.packetsReceived() + stats.cumulativeLost() - windowReceived - windowLost;
        if (expected >= LOSS_WINDOW) {
            long lost = stats.cumulativeLost() - windowLost;
            receiveLossPercent = 100.0 * Math.max(0, lost) / expected;
            windowReceived = stats.packetsReceived();
            windowLost = stats.cumulativeLost();
        }
        List<QualityWarning> changes = new ArrayList<>(0);
        if (stats.roundTripMs() >= 0) {
            check(QualityMetric.ROUND_TRIP_TIME, stats.roundTripMs(), changes);
        }
        if (stats.packetsReceived() > 0) {
            check(QualityMetric.JITTER, stats.jitterMs(), changes);
        }
        if (stats.packetsReceived() > 0 || stats.fractionLost() > 0) {
            check(QualityMetric.PACKET_LOSS, Math.max(100 * stats.fractionLost(), receiveLossPercent), changes);
        }
        return changes;
    }

    private void check(QualityMetric metric, double value, List<QualityWarning> changes) {
        if (!raised.contains(metric) && value > metric.raiseAbove()) {
            raised.add(metric);
            changes.add(new QualityWarning(metric, true, value));
        } else if (raised.contains(metric) && value <= metric.clearAtOrBelow()) {
            raised.remove(metric);
            changes.add(new QualityWarning(metric, false, value));
        }
    }

    /** @return the warnings raised now */
    synchronized Set<QualityMetric> raised() {
        return raised.isEmpty() ? Set.of() : Set.copyOf(raised);
    }
}
