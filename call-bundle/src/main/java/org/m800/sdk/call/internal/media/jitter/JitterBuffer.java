package org.m800.sdk.call.internal.media.jitter;

import java.util.Map;
import java.util.TreeMap;

/**
 * An adaptive jitter buffer for 20 ms packets, clocked by its reader (one {@link #poll()} per 20 ms).
 *
 * <p>Delay: each packet's arrival time relative to its place in the stream is remembered for the last
 * second; the target delay is the spread of those (the network's delay variation) plus one frame, rounded
 * up to frames and held within the configured range. Playout starts once the target is buffered (with the
 * default least delay of one frame, at the first packet: the reader plays it at once, see
 * {@link #readyToStart()}, and a packet that is late afterwards makes the delay grow by a frame). When the
 * next packet is missing but later ones are here, the frame is lost: the reader conceals it and playout
 * moves on. When nothing is buffered (the network is late), the reader conceals without moving on, so the
 * delay grows by a frame; after 200 ms of that the buffer waits for the stream to come back (a hold, a
 * silence, an outage) and starts again. When more than the target is waiting behind the frame played, one
 * frame is dropped now and then (at most every 200 ms) so that the delay shrinks back. Packets older than the playout point are dropped
 * as late.
 *
 * <p>Not thread-safe: the session guards it.
 */
public final class JitterBuffer {

    /** What {@link #poll()} returns for a frame to conceal. */
    public static final byte[] LOST = new byte[0];
    /** What {@link #poll()} returns for a frame of silence (nothing to play, or a non-audio packet). */
    public static final byte[] SILENCE = new byte[0];

    private static final int WINDOW = 50;
    private static final int MAX_UNDERRUN = 10;
    private static final int CAPACITY = 100;

    private final int minFrames;
    private final int maxFrames;
    private final TreeMap<Long, byte[]> packets = new TreeMap<>();
    private final long[] delays = new long[WINDOW];
    private int delayCount;
    private int delayNext;
    private int targetFrames;

    private boolean playing;
    private long nextSeq = -1;
    private int underrun;
    private int sinceShrink;
    private long late;
    private long concealed;
    private byte[] recoverFrom;

    /**
     * @param minDelayMs the least target delay
     * @param maxDelayMs the most target delay
     */
    public JitterBuffer(int minDelayMs, int maxDelayMs) {
        minFrames = Math.max(1, (minDelayMs + 19) / 20);
        maxFrames = Math.max(minFrames, maxDelayMs / 20);
        targetFrames = minFrames;
    }

    /**
     * Adds a packet.
     *
     * @param extendedSeq its extended sequence number
     * @param arrivalMs   when it arrived, in milliseconds of a monotonic clock
     * @param payload     its payload (kept), or {@link #SILENCE} for a packet that carries no audio
     */
    public void put(long extendedSeq, long arrivalMs, byte[] payload) {
        delays[delayNext] = arrivalMs - extendedSeq * 20;
        delayNext = (delayNext + 1) % WINDOW;
        delayCount = Math.min(WINDOW, delayCount + 1);
        if (nextSeq >= 0 && extendedSeq < nextSeq) {
            late++;
            return;
        }
        packets.put(extendedSeq, payload);
        if (packets.size() > CAPACITY) {
            packets.pollFirstEntry();
        }
        adapt();
    }

    /**
     * @return whether playout is idle and the next {@link #poll()} would start it (the target is buffered):
     *         the reader may move its clock to now, so the first frame is not held back by the clock's phase
     */
    public boolean readyToStart() {
        return !playing && !packets.isEmpty() && packets.lastKey() - packets.firstKey() + 1 >= targetFrames;
    }

    /**
     * The next 20 ms.
     *
     * @return a payload to decode; {@link #LOST} to conceal a lost or late frame; {@link #SILENCE}
     */
    public byte[] poll() {
        recoverFrom = null;
        if (!playing) {
            if (packets.isEmpty() || packets.lastKey() - packets.firstKey() + 1 < targetFrames) {
                return SILENCE;
            }
            playing = true;
            nextSeq = packets.firstKey();
            underrun = 0;
        }
        Map.Entry<Long, byte[]> first = packets.firstEntry();
        if (first == null) {
            if (++underrun > MAX_UNDERRUN) {
                playing = false;
                return SILENCE;
            }
            concealed++;
            return LOST;
        }
        underrun = 0;
        if (first.getKey() > nextSeq) {
            if (first.getKey() == nextSeq + 1 && first.getValue().length > 0) {
                recoverFrom = first.getValue();
            }
            nextSeq++;
            concealed++;
            return LOST;
        }
        packets.pollFirstEntry();
        nextSeq = first.getKey() + 1;
        if (++sinceShrink >= 10 && !packets.isEmpty() && packets.lastKey() - nextSeq + 1 > targetFrames) {
            // more buffered than needed: drop the next frame (once per 200 ms at most) to bring the delay down
            sinceShrink = 0;
            Map.Entry<Long, byte[]> dropped = packets.pollFirstEntry();
            nextSeq = dropped.getKey() + 1;
        }
        return first.getValue();
    }

    /**
     * @return after {@link #poll()} returned {@link #LOST}: the payload of the packet right after the lost
     *         one, if it is here (for in-band FEC), otherwise {@code null}
     */
    public byte[] recoverFrom() {
        return recoverFrom;
    }

    private void adapt() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < delayCount; i++) {
            min = Math.min(min, delays[i]);
            max = Math.max(max, delays[i]);
        }
        int frames = (int) ((max - min + 19) / 20) + 1;
        targetFrames = Math.max(minFrames, Math.min(maxFrames, frames));
    }

    /** @return the target delay in milliseconds */
    public int targetDelayMs() {
        return targetFrames * 20;
    }

    /** @return frames buffered behind the next one to play (the delay beyond one frame, in frames) */
    public int waiting() {
        return packets.isEmpty() || nextSeq < 0 ? 0 : (int) Math.max(0, packets.lastKey() - nextSeq + 1);
    }

    /** @return frames concealed so far */
    public long concealed() {
        return concealed;
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
        targetFrames = minFrames;
    }
}
