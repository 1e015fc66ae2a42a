package org.m800.sdk.call.internal.media;

import java.time.Duration;

/**
 * Settings of a {@link MediaEngine}, with the defaults of {@link #DEFAULTS}.
 *
 * @param mediaTimeout how long a started session may go without an authenticated RTP or RTCP packet before
 *                     {@link MediaSessionListener#mediaTimeout()} (default 20 s)
 * @param rtcpInterval the mean interval between RTCP reports (default 1 s, randomised by ±50 % as RFC 3550
 *                     6.2 asks; shorter than RFC 3550's 5 s so that statistics and quality warnings come
 *                     within seconds of a call's start, at a cost of about 100 bytes per second)
 * @param minPlayoutMs the least delay of the jitter buffer (default 20 ms: one frame, so playout starts with
 *                     the first packet and the delay grows only when the network's delay varies, which is
 *                     what keeps a call's set-up and its mouth-to-ear latency short)
 * @param maxPlayoutMs the most delay of the jitter buffer (default 300 ms)
 */
public record MediaEngineOptions(Duration mediaTimeout, Duration rtcpInterval, int minPlayoutMs, int maxPlayoutMs) {

    /** The defaults. */
    public static final MediaEngineOptions DEFAULTS =
            new MediaEngineOptions(Duration.ofSeconds(20), Duration.ofSeconds(1), 20, 300);

    /**
     * @throws IllegalArgumentException for a non-positive duration or a playout range that is not
     *         {@code 20 <= min <= max <= 2000}
     */
    public MediaEngineOptions {
        if (mediaTimeout == null || mediaTimeout.isNegative() || mediaTimeout.isZero()) {
            throw new IllegalArgumentException("mediaTimeout must be positive: " + mediaTimeout);
        }
        if (rtcpInterval == null || rtcpInterval.toMillis() < 100) {
            throw new IllegalArgumentException("rtcpInterval must be at least 100 ms: " + rtcpInterval);
        }
        if (minPlayoutMs < 20 || maxPlayoutMs < minPlayoutMs || maxPlayoutMs > 2000) {
            throw new IllegalArgumentException("playout delay range must be 20 <= min <= max <= 2000 ms, not "
                    + minPlayoutMs + ".." + maxPlayoutMs);
        }
    }

    /** @return these options with another media timeout */
    public MediaEngineOptions withMediaTimeout(Duration timeout) {
        return new MediaEngineOptions(timeout, rtcpInterval, minPlayoutMs, maxPlayoutMs);
    }

    /** @return these options with another RTCP interval */
    public MediaEngineOptions withRtcpInterval(Duration interval) {
        return new MediaEngineOptions(mediaTimeout, interval, minPlayoutMs, maxPlayoutMs);
    }
}
