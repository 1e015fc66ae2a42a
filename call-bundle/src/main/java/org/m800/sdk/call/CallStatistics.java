package org.m800.sdk.call;

/**
 * A call's audio quality as RTCP (RFC 3550) measures it. All zero (and {@code roundTripMs} -1) before
 * the audio starts.
 *
 * @param codec           the codec in use ({@code opus}, {@code PCMU}, {@code PCMA}), or {@code null} before
 * @param packetsSent     RTP packets sent
 * @param packetsReceived RTP packets received and authenticated (SRTP)
 * @param fractionLost    the other side's last reported fraction of this side's packets lost, 0..1
 * @param cumulativeLost  the other side's packets this side counts as lost
 * @param jitterMs        interarrival jitter of what this side receives, in milliseconds
 * @param roundTripMs     round-trip time from the last report, or -1 before one
 */
public record CallStatistics(String codec, long packetsSent, long packetsReceived, double fractionLost,
        long cumulativeLost, double jitterMs, double roundTripMs) {

    /** Statistics before any audio. */
    public static final CallStatistics NONE = new CallStatistics(null, 0, 0, 0, 0, 0, -1);
}
