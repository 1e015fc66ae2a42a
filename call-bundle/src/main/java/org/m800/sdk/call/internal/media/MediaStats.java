package org.m800.sdk.call.internal.media;

/**
 * One leg's quality as RTCP (RFC 3550) measures it.
 *
 * @param packetsSent      RTP packets sent
 * @param packetsReceived  RTP packets received and authenticated
 * @param fractionLost     the peer's last reported fraction of our packets lost, 0..1
 * @param cumulativeLost   packets of the peer's that we count as lost (RFC 3550 A.3: expected minus received)
 * @param jitterMs         interarrival jitter of what we receive, in milliseconds
 * @param roundTripMs      round-trip time from the last report, or -1 before one
 * @param packetsRejected  datagrams dropped before the jitter buffer: from an address or SSRC that is not the
 *                         call's, failing SRTP/SRTCP authentication, replayed, or malformed
 * @param framesConcealed  20 ms frames the jitter buffer made up by loss concealment (lost or late packets)
 * @param playoutDelayMs   the jitter buffer's current target delay, in milliseconds
 */
public record MediaStats(long packetsSent, long packetsReceived, double fractionLost, long cumulativeLost,
        double jitterMs, double roundTripMs, long packetsRejected, long framesConcealed, int playoutDelayMs) {

    /** The first form of this record (the fields RTCP reports), the others zero. */
    public MediaStats(long packetsSent, long packetsReceived, double fractionLost, long cumulativeLost,
            double jitterMs, double roundTripMs) {
        this(packetsSent, packetsReceived, fractionLost, cumulativeLost, jitterMs, roundTripMs, 0, 0, 0);
    }

    /**
     * @return the fraction of the peer's packets lost on their way to us since the stream began, 0..1
     *         (lost / expected, RFC 3550 A.3); 0 before any packet
     */
    public double receiveLossRatio() {
        long expected = packetsReceived + cumulativeLost;
        return expected <= 0 ? 0 : Math.max(0, (double) cumulativeLost / expected);
    }
}
