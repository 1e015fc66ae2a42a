package org.m800.sdk.call.internal.media.jitter;

import java.util.Map;
import java.util.TreeMap;

/**
 * An adaptive jitter buffer that counts in time, not in packets: a peer may send packets of any duration
 * (G.711 with a ptime of 10 to 60 ms, Opus packets of 2.5 to 120 ms, even a stream whose packet time
 * changes), and the reader asks for as much audio as it still needs ({@link #poll(int)}). Packets are kept in
 * sequence-number order (what tells a lost packet from a late one), each with its RTP timestamp and its
 * duration in samples of the RTP clock.
 *
 * <p>Delay: each audio packet's arrival time relative to its timestamp is remembered for the last 50
 * packets; the target delay is the spread of those (the network's delay variation) plus one packet, held
 * within the configured range. Playout starts once the target is buffered (with the default least delay of
 * 20 ms and 20 ms packets, at the first packet: the reader plays it at once, see {@link #readyToStart()}, and
 * a packet that is late afterwards makes the delay grow). When the next packet is missing but later ones
 * are here, it is lost: the reader conceals its duration (the timestamps around the hole tell how long it
 * was) and playout moves on. When nothing is buffered (the network is late), the reader conceals what it
 * needs without moving on; if the packet then comes, late, the delay has grown, and if it turns out lost, what
 * was concealed stands in for it (no more is concealed for it, so a loss does not grow the delay). After
 * 200 ms of nothing the buffer waits for the stream to come back (a hold, a silence, an outage) and starts
 * again. When more than the target is waiting, one
 * packet is dropped now and then (at most every 200 ms of playout) so that the delay shrinks back.
 * Packets older than the playout point are dropped as late.
 *
 * <p>A packet without audio of its own (an RFC 4733 telephone-event, whose timestamp is the event's start)
 * keeps its place in the sequence and plays as silence for as long as the stream's last audio packet.
 *
 * <p>Not thread-safe: the session guards it.
 */
public final class JitterBuffer {

    /** What {@link #poll} returns for audio to conceal (a lost packet, or nothing here yet). */
    public static final byte[] LOST = new byte[0];
    /** What {@link #poll} returns for silence (nothing to play, or a packet without audio). */
    public static final byte[] SILENCE = new byte[0];

    private static final int WINDOW = 50;
    private static final int MAX_UNDERRUN_MS = 200;
    private static final int SHRINK_EVERY_MS = 200;
    private static final int CAPACITY = 100;

    private record Packet(long timestamp, byte[] payload, int samples) {
        boolean audio() {
            return samples > 0;
        }
    }

    private final int minDelayMs;
    private final int maxDelayMs;
    private final TreeMap<Long, Packet> packets = new TreeMap<>();
    private final long[] delays = new long[WINDOW];
    private int clockRate = 8000;
    private int delayCount;
    private int delayNext;
    private int targetMs;
    private int spreadMs;
    /** the duration of the last audio packet received, in samples: a packet without audio, or a lost one, lasts as long */
    private int nominal;

    private boolean playing;
    private long nextSeq = -1;
    /** the timestamp playout has reached, or -1 after a packet without a usable one */
    private long nextTimestamp = -1;
    /** samples concealed since the last packet played because nothing was here (they stand in for a packet found lost) */
    private int underrun;
    private int sinceShrink;
    private int duration;
    private long late;
    private long concealedSamples;
    private long concealedFrames;
    private byte[] recoverFrom;

    /**
     * @param minDelayMs the least target delay
     * @param maxDelayMs the most target delay
     */
    public JitterBuffer(int minDelayMs, int maxDelayMs) {
        this.minDelayMs = Math.max(1, minDelayMs);
        this.maxDelayMs = Math.max(this.minDelayMs, maxDelayMs);
        targetMs = this.minDelayMs;
        nominal = clockRate / 50;
    }

    /** Sets the RTP clock rate of the stream (a new stream: everything is forgotten). */
    public void clockRate(int rate) {
        if (rate <= 0 || rate % 400 != 0) {
            throw new IllegalArgumentException("the RTP clock rate must be a multiple of 400 Hz: " + rate);
        }
        clockRate = rate;
        reset();
    }

    /**
     * Adds a packet.
     *
     * @param extendedSeq       its extended sequence number
     * @param extendedTimestamp its RTP timestamp, extended past the 32-bit wrap
     * @param arrivalMs         when it arrived, in milliseconds of a monotonic clock
     * @param payload           its payload (kept), or {@link #SILENCE} for a packet that carries no audio
     * @param samples           its duration in samples of the RTP clock ({@code <= 0} with {@link #SILENCE})
     */
    public void put(long extendedSeq, long extendedTimestamp, long arrivalMs, byte[] payload, int samples) {
        boolean audio = payload != SILENCE && samples > 0;
        if (audio) {
            delays[delayNext] = arrivalMs - extendedTimestamp * 1000 / clockRate;
            delayNext = (delayNext + 1) % WINDOW;
            delayCount = Math.min(WINDOW, delayCount + 1);
            nominal = samples;
        }
        if (nextSeq >= 0 && extendedSeq < nextSeq) {
            late++;
            return;
        }
        packets.put(extendedSeq, new Packet(extendedTimestamp, payload, audio ? samples : 0));
        if (packets.size() > CAPACITY) {
            packets.pollFirstEntry();
        }
        adapt();
    }

    /**
     * @return whether playout is idle and the next {@link #poll} would start it (the target is buffered):
     *         the reader may move its clock to now, so the first frame is not held back by the clock's phase
     */
    public boolean readyToStart() {
        return !playing && !packets.isEmpty() && bufferedFrom(packets.firstKey()) * 1000L >= (long) targetMs * clockRate;
    }

    /**
     * The next stretch of the stream. After it, {@link #duration()} says how many samples it stands for: a
     * packet's own duration; for {@link #LOST}, a lost packet's duration or, when nothing is here yet,
     * {@code wanted} rounded up to 2.5 ms; for {@link #SILENCE}, a packet's duration or {@code wanted}.
     *
     * @param wanted how many samples the reader still needs, at least 1
     * @return a payload to decode; {@link #LOST} to conceal; {@link #SILENCE}
     */
    public byte[] poll(int wanted) {
        recoverFrom = null;
        duration = Math.max(1, wanted);
        if (!playing) {
            if (!readyToStart()) {
                return SILENCE;
            }
            playing = true;
            nextSeq = packets.firstKey();
            nextTimestamp = -1;
            underrun = 0;
        }
        Map.Entry<Long, Packet> first = packets.firstEntry();
        if (first == null) {
            int granule = clockRate / 400;
            duration = (duration + granule - 1) / granule * granule;
            underrun += duration;
            if ((long) underrun * 1000 > (long) MAX_UNDERRUN_MS * clockRate) {
                playing = false;
                return SILENCE;
            }
            concealed(duration);
            return LOST;
        }
        Packet packet = first.getValue();
        while (first.getKey() > nextSeq) {
            int lost = lostDuration(first.getKey() - nextSeq, packet);
            boolean next = first.getKey() == nextSeq + 1;
            nextSeq++;
            if (nextTimestamp >= 0) {
                nextTimestamp += lost;
            }
            // what was concealed while waiting for this packet stood in for it: only the rest is concealed now,
            // so that a loss does not add to the delay
            int stoodIn = Math.min(underrun, lost);
            underrun -= stoodIn;
            if (lost > stoodIn) {
                duration = lost - stoodIn;
                if (next && packet.audio()) {
                    recoverFrom = packet.payload();
                }
                concealed(duration);
                return LOST;
            }
        }
        underrun = 0;
        packets.pollFirstEntry();
        take(first.getKey(), packet);
        sinceShrink += duration;
        if ((long) sinceShrink * 1000 >= (long) SHRINK_EVERY_MS * clockRate && !packets.isEmpty()) {
            Packet next = packets.firstEntry().getValue();
            if ((bufferedFrom(nextSeq) - length(next)) * 1000L >= (long) targetMs * clockRate) {
                // more buffered than needed: drop the next packet (once per 200 ms at most) to bring the delay down
                sinceShrink = 0;
                Map.Entry<Long, Packet> dropped = packets.pollFirstEntry();
                int kept = duration;
                take(dropped.getKey(), dropped.getValue());
                duration = kept;
            }
        }
        return packet.audio() ? packet.payload() : SILENCE;
    }

    private void take(long seq, Packet packet) {
        nextSeq = seq + 1;
        duration = length(packet);
        nextTimestamp = packet.audio() ? packet.timestamp() + packet.samples() : -1;
    }

    /** How long each of {@code missing} lost packets was: the hole in the timestamps shared out, or the usual packet. */
    private int lostDuration(long missing, Packet after) {
        if (nextTimestamp >= 0 && after.audio()) {
            long each = (after.timestamp() - nextTimestamp) / missing;
            int granule = clockRate / 400;
            if (each >= granule && each * 1000 <= 120L * clockRate) {
                return (int) (each / granule * granule);
            }
        }
        return nominal;
    }

    private int length(Packet packet) {
        return packet.audio() ? packet.samples() : nominal;
    }

    /** @return the samples buffered from {@code seq} on, a missing packet counted as the usual packet */
    private long bufferedFrom(long seq) {
        if (packets.isEmpty()) {
            return 0;
        }
        long sum = 0;
        int count = 0;
        for (Map.Entry<Long, Packet> e : packets.tailMap(seq, true).entrySet()) {
            sum += length(e.getValue());
            count++;
        }
        long holes = packets.lastKey() - seq + 1 - count;
        return sum + Math.max(0, holes) * nominal;
    }

    private void concealed(int samples) {
        concealedSamples += samples;
        concealedFrames = concealedSamples * 50 / clockRate;
    }

    /**
     * @return after {@link #poll} returned {@link #LOST} for a lost packet: the payload of the packet right after
     *         it, if it is here (for in-band FEC), otherwise {@code null}
     */
    public byte[] recoverFrom() {
        return recoverFrom;
    }

    /** @return how many samples of the RTP clock the last {@link #poll} stands for */
    public int duration() {
        return duration;
    }

    private void adapt() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < delayCount; i++) {
            min = Math.min(min, delays[i]);
            max = Math.max(max, delays[i]);
        }
        long spread = delayCount == 0 ? 0 : max - min;
        spreadMs = (int) Math.min(Integer.MAX_VALUE, spread);
        long target = spread + (nominal * 1000L + clockRate - 1) / clockRate;
        targetMs = (int) Math.max(minDelayMs, Math.min(maxDelayMs, target));
    }

    /** @return the variation of the network's delay over the last 50 packets, in milliseconds */
    public int spreadMs() {
        return spreadMs;
    }

    /**
     * @return the duration in samples of the one packet buffered, if it is the next to play (so the reader's next
     *         poll takes it), otherwise 0
     */
    public int onlyNext() {
        if (!playing || packets.size() != 1 || packets.firstKey() != nextSeq) {
            return 0;
        }
        return length(packets.firstEntry().getValue());
    }

    /** @return the target delay in milliseconds */
    public int targetDelayMs() {
        return targetMs;
    }

    /** @return milliseconds of audio buffered behind what was played (the delay beyond it) */
    public int waitingMs() {
        return playing && nextSeq >= 0 ? (int) (bufferedFrom(nextSeq) * 1000 / clockRate) : 0;
    }

    /** @return how much audio was concealed so far, in 20 ms frames */
    public long concealed() {
        return concealedFrames;
    }

    /** @return packets dropped because they came after their playout time */
    public long late() {
        return late;
    }

    /** Forgets everything (a new stream). */
    public void reset() {
        packets.clear();
        delayCount = 0;
        delayNext = 0;
        playing = false;
        nextSeq = -1;
        nextTimestamp = -1;
        nominal = clockRate / 50;
        targetMs = minDelayMs;
        spreadMs = 0;
        underrun = 0;
    }
}
