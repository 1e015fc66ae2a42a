package org.m800.sdk.call.internal.media.dtmf;

/**
 * The payload of an RFC 4733 telephone-event for the DTMF keys (section 3.2: events 0-9, * = 10,
 * # = 11, A-D = 12-15): event, end bit, volume, duration.
 */
public final class TelephoneEvent {

    /** Bytes of the payload. */
    public static final int LENGTH = 4;
    private static final String KEYS = "0123456789*#ABCD";

    private TelephoneEvent() {
    }

    /** @return the event code of a DTMF key, or -1 if it is not one of {@code 0-9 * # A-D} */
    public static int code(char digit) {
        return KEYS.indexOf(Character.toUpperCase(digit));
    }

    /** @return the key of an event code, or 0 if it is not a DTMF event */
    public static char digit(int code) {
        return code >= 0 && code < KEYS.length() ? KEYS.charAt(code) : 0;
    }

    /** Writes a payload at {@code at}. */
    public static void write(byte[] buf, int at, int code, boolean end, int volume, int duration) {
        buf[at] = (byte) code;
        buf[at + 1] = (byte) ((end ? 0x80 : 0) | (volume & 0x3F));
        buf[at + 2] = (byte) (duration >>> 8);
        buf[at + 3] = (byte) duration;
    }

    public static int event(byte[] buf, int at) {
        return buf[at] & 0xFF;
    }

    public static boolean end(byte[] buf, int at) {
        return (buf[at + 1] & 0x80) != 0;
    }
}
