package org.m800.sdk.call.internal.media;

/**
 * One leg's quality as RTCP (RFC 3550) measures it.
 *
 * @param packetsSent      RTP packets sent
 * @param packetsReceived  RTP packets received and authenticated
 * @param fractionLost     the peer's last reported fraction of our packets lost, 0..1
 * @param cumulativeLost   packets of the peer's that we count as lost
 * @param jitterMs         interarrival jitter of what we receive, in milliseconds
 * @param roundTripMs      round-trip time from the last report, or -1 before one
 */
public record MediaStats(long packetsSent, long packetsReceived, double fractionLost, long cumulativeLost,
        double jitterMs, double roundTripMs) {
}
