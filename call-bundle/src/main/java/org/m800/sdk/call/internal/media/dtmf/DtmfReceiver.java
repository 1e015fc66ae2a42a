package org.m800.sdk.call.internal.media.dtmf;

/**
 * Recognises key presses in received RFC 4733 packets: one key per event (per RTP timestamp), reported
 * once, when its end bit arrives or, if all its final packets were lost, when the next event starts.
 * Packets of earlier events that arrive late (reordered) are ignored. Not thread-safe.
 */
public final class DtmfReceiver {

    private long currentTimestamp = -1;
    private int currentCode = -1;
    private boolean reported;

    /**
     * @return the keys this packet completes (zero, one, or two when it also completes an unended earlier
     *         event), in order
     */
    public String packet(long timestamp, byte[] buf, int at, int len) {
        if (len < TelephoneEvent.LENGTH) {
            return "";
        }
        int code = TelephoneEvent.event(buf, at);
        boolean end = TelephoneEvent.end(buf, at);
        if (currentTimestamp >= 0 && ((timestamp - currentTimestamp) & 0xFFFFFFFFL) > 0x80000000L) {
            return ""; // a late packet of an event already over
        }
        StringBuilder keys = new StringBuilder(2);
        if (timestamp != currentTimestamp) {
            if (currentCode >= 0 && !reported) {
                append(keys, currentCode);
            }
            currentTimestamp = timestamp;
            currentCode = code;
            reported = false;
        }
        if (end && !reported) {
            reported = true;
            append(keys, currentCode);
        }
        return keys.toString();
    }

    private static void append(StringBuilder keys, int code) {
        char digit = TelephoneEvent.digit(code);
        if (digit != 0) {
            keys.append(digit);
        }
    }
}
