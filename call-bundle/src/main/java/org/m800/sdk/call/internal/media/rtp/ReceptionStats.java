package org.m800.sdk.call.internal.media.rtp;

/**
 * What a receiver knows about one RTP source (RFC 3550 A.1, A.3, A.8): the extended highest sequence
 * number, packets expected and received (so lost), the interarrival jitter, and the fraction lost since
 * the last report. Not thread-safe.
 */
public final class ReceptionStats {

    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private final int clockRate;
    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lastTransit;
    private double jitter;

    /** @param clockRate the RTP clock of the stream, for the jitter */
    public ReceptionStats(int clockRate) {
        this.clockRate = clockRate;
    }

    /**
     * Counts an authenticated packet.
     *
     * @param seq         its sequence number
     * @param timestamp   its RTP timestamp
     * @param arrivalNanos when it arrived ({@link System#nanoTime()})
     * @return its extended sequence number
     */
    public long packet(int seq, long timestamp, long arrivalNanos) {
        if (!started) {
            started = true;
            maxSeq = seq;
            baseSeq = seq;
            cycles = 0;
            received = 1;
            lastTransit = transit(timestamp, arrivalNanos);
            return seq;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        long extended;
        if (delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += 0x10000;
            }
            maxSeq = seq;
            extended = cycles + seq;
        } else if (delta <= 0x10000 - MAX_MISORDER) {
            // a large jump: the source restarted its sequence; start counting again (A.1 without probation)
            started = false;
            return packet(seq, timestamp, arrivalNanos);
        } else {
            // a late or duplicate packet from before maxSeq
            extended = cycles + seq - (seq > maxSeq ? 0x10000 : 0);
        }
        received++;
        long transit = transit(timestamp, arrivalNanos);
        long d = Math.abs(transit - lastTransit);
        lastTransit = transit;
        jitter += (d - jitter) / 16.0;
        return extended;
    }

    private long transit(long timestamp, long arrivalNanos) {
        long arrival = arrivalNanos / 1000 * clockRate / 1_000_000;
        return arrival - timestamp;
    }

    public boolean started() {
        return started;
    }

    public long extendedHighest() {
        return cycles + maxSeq;
    }

    public long expected() {
        return started ? extendedHighest() - baseSeq + 1 : 0;
    }

    public long received() {
        return received;
    }

    /** @return packets lost so far (may be negative with duplicates, as RFC 3550 allows) */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** @return the interarrival jitter in RTP timestamp units */
    public long jitterUnits() {
        return (long) jitter;
    }

    public double jitterMs() {
        return jitter * 1000.0 / clockRate;
    }

    /**
     * The fraction lost since the previous call, as a report block's 8-bit fixed-point number, and starts a
     * new interval.
     */
    public int takeFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }
}
