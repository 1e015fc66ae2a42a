package org.m800.sdk.call.internal.media.dtmf;

import java.util.ArrayDeque;

/**
 * Turns queued key presses into RFC 4733 packets, one per 20 ms tick in place of audio: each key is a tone
 * of 100 ms (5 packets of growing duration, the first with the marker bit), then its final packet three
 * times (2.5.1.4), then 40 ms of audio before the next key. All packets of one event carry the timestamp
 * of its start. Not thread-safe: the session guards it.
 */
public final class DtmfSender {

    private static final int TONE_PACKETS = 5;
    private static final int END_PACKETS = 3;
    private static final int GAP_PACKETS = 2;
    private static final int VOLUME = 10;

    /** What to send this tick instead of audio. */
    public record Packet(boolean marker, long timestamp, byte[] payload) {
    }

    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private int code = -1;
    private int step;
    private long startTimestamp;
    private int gap;

    /** Queues a key. */
    public void add(int eventCode) {
        queue.add(eventCode);
    }

    /**
     * @param timestamp       the RTP timestamp of this tick
     * @param unitsPerPacket  RTP clock units per 20 ms
     * @return the packet to send this tick, or {@code null} to send audio
     */
    public Packet next(long timestamp, int unitsPerPacket) {
        if (code < 0) {
            if (gap > 0) {
                gap--;
                return null;
            }
            Integer nextCode = queue.poll();
            if (nextCode == null) {
                return null;
            }
            code = nextCode;
            step = 0;
            startTimestamp = timestamp;
        }
        step++;
        boolean end = step > TONE_PACKETS;
        int duration = Math.min(step, TONE_PACKETS) * unitsPerPacket;
        byte[] payload = new byte[TelephoneEvent.LENGTH];
        TelephoneEvent.write(payload, 0, code, end, VOLUME, duration);
        Packet packet = new Packet(step == 1, startTimestamp, payload);
        if (step >= TONE_PACKETS + END_PACKETS) {
            code = -1;
            gap = GAP_PACKETS;
        }
        return packet;
    }

    /** @return whether nothing is queued or being sent */
    public boolean idle() {
        return code < 0 && queue.isEmpty();
    }
}
