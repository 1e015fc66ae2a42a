package org.m800.sdk.call;

/**
 * A measure of a call's audio quality that raises a warning ({@link CallListener#qualityChanged}) when it
 * crosses its threshold and clears it when it is back at or below a lower one; the gap between the two
 * keeps a value that hovers near a threshold from raising and clearing over and over. Each is evaluated
 * on every statistics update (about once a second while the audio flows, from RTCP, RFC 3550).
 */
public enum QualityMetric {
    /**
     * The round-trip time between the two sides (RTCP sender and receiver reports, RFC 3550 6.4.1), in
     * milliseconds: raised above 500 ms (a conversation becomes awkward: ITU-T G.114 puts the limit of
     * one-way delay at 150-400 ms), cleared at or below 400 ms.
     */
    ROUND_TRIP_TIME(500, 400),
    /**
     * The interarrival jitter of the audio this side receives (RFC 3550 A.8), in milliseconds: raised above
     * 50 ms (the jitter buffer adds about that much delay, or conceals late packets), cleared at or below
     * 30 ms.
     */
    JITTER(50, 30),
    /**
     * Packet loss in percent: the larger of what the other side reports it lost of this side's audio
     * (RTCP fraction lost) and what this side lost of the other's over the last 50 or more packets
     * expected: raised above 5 % (audible even with concealment), cleared at or below 2 %.
     */
    PACKET_LOSS(5, 2);

    private final double raiseAbove;
    private final double clearAtOrBelow;

    QualityMetric(double raiseAbove, double clearAtOrBelow) {
        this.raiseAbove = raiseAbove;
        this.clearAtOrBelow = clearAtOrBelow;
    }

    /** @return the value above which the warning is raised (milliseconds, or percent for loss) */
    public double raiseAbove() {
        return raiseAbove;
    }

    /** @return the value at or below which a raised warning is cleared */
    public double clearAtOrBelow() {
        return clearAtOrBelow;
    }
}
