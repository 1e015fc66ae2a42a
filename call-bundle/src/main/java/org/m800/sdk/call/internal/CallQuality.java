package org.m800.sdk.call.internal;

import java.util.List;
import java.util.Set;

import org.m800.sdk.call.Call;
import org.m800.sdk.call.CallListener;
import org.m800.sdk.call.CallStatistics;
import org.m800.sdk.call.QualityMetric;
import org.m800.sdk.call.QualityWarning;
import org.m800.sdk.call.internal.media.MediaStats;
import org.m800.sdk.core.ListenerList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's statistics as the application sees them, and the quality warnings they raise and clear
 * ({@link QualityMonitor}), told to the call's listeners. Thread-safe: the engine's receive and tick threads
 * report concurrently.
 */
final class CallQuality {

    private static final Logger LOG = LoggerFactory.getLogger(CallQuality.class);

    private final Call call;
    private final ListenerList<CallListener> listeners;
    private final QualityMonitor monitor = new QualityMonitor();
    private volatile CallStatistics statistics = CallStatistics.NONE;

    CallQuality(Call call, ListenerList<CallListener> listeners) {
        this.call = call;
        this.listeners = listeners;
    }

    /** Takes the engine's statistics of the call's leg ({@code codec}: the agreed one's name, or null). */
    void update(String codec, MediaStats stats) {
        CallStatistics s = new CallStatistics(codec, stats.packetsSent(), stats.packetsReceived(), stats.fractionLost(),
                stats.cumulativeLost(), stats.jitterMs(), stats.roundTripMs());
        statistics = s;
        // queued (emit only queues) under the monitor's lock, so that the rx and tick threads cannot reorder a
        // warning and its clearing
        synchronized (monitor) {
            List<QualityWarning> changes = monitor.update(stats);
            for (QualityWarning w : changes) {
                LOG.info("Call {}: quality warning {} {} ({})", call.id(), w.metric(), w.raised() ? "raised" : "cleared",
                        Math.round(w.value()));
                listeners.emit(l -> l.qualityChanged(call, w));
            }
        }
        listeners.emit(l -> l.statistics(call, s));
    }

    /** @return the last statistics, {@link CallStatistics#NONE} before the first */
    CallStatistics statistics() {
        return statistics;
    }

    /** @return the quality warnings raised now */
    Set<QualityMetric> raised() {
        return monitor.raised();
    }
}
