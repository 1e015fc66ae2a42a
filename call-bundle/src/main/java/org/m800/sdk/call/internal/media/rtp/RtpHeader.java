package org.m800.sdk.call.internal.media.rtp;

/**
 * Reads and writes the fixed RTP header of RFC 3550 5.1 in a byte array (big-endian, offset 0):
 * version 2, padding, extension, CSRC count, marker, payload type, sequence number, timestamp, SSRC.
 */
public final class RtpHeader {

    /** Bytes of the fixed header without CSRCs or extension. */
    public static final int FIXED = 12;

    private RtpHeader() {
    }

    /**
     * @return the header's length with its CSRCs and extension, or -1 if {@code buf[0, len)} is not an
     *         RTP version 2 packet whose header fits
     */
    public static int length(byte[] buf, int len) {
        if (len < FIXED || (buf[0] & 0xC0) != 0x80) {
            return -1;
        }
        int header = FIXED + 4 * (buf[0] & 0x0F);
        if ((buf[0] & 0x10) != 0) {
            if (len < header + 4) {
                return -1;
            }
            header += 4 + 4 * u16(buf, header + 2);
        }
        return header <= len ? header : -1;
    }

    /** @return the payload's length once RTP padding (RFC 3550 5.1, the P bit) is taken off, or -1 if it is wrong */
    public static int payloadLength(byte[] buf, int header, int len) {
        int padding = (buf[0] & 0x20) != 0 ? buf[len - 1] & 0xFF : 0;
        int payload = len - header - padding;
        return payload >= 0 ? payload : -1;
    }

    /** Writes a fixed header without CSRCs or extension. */
    public static void write(byte[] buf, boolean marker, int payloadType, int sequence, long timestamp, long ssrc) {
        buf[0] = (byte) 0x80;
        buf[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        putU16(buf, 2, sequence);
        putU32(buf, 4, timestamp);
        putU32(buf, 8, ssrc);
    }

    public static boolean marker(byte[] buf) {
        return (buf[1] & 0x80) != 0;
    }

    public static int payloadType(byte[] buf) {
        return buf[1] & 0x7F;
    }

    public static int sequence(byte[] buf) {
        return u16(buf, 2);
    }

    public static long timestamp(byte[] buf) {
        return u32(buf, 4);
    }

    public static long ssrc(byte[] buf) {
        return u32(buf, 8);
    }

    /**
     * RFC 5761 4: with RTP and RTCP on one port, a packet whose second byte is 192..223 (RTCP packet types
     * 200..204 and the rest of that range) is RTCP.
     */
    public static boolean isRtcp(byte[] buf, int len) {
        if (len < 2) {
            return false;
        }
        int pt = buf[1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    public static int u16(byte[] buf, int at) {
        return ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF);
    }

    public static long u32(byte[] buf, int at) {
        return ((long) (buf[at] & 0xFF) << 24) | ((buf[at + 1] & 0xFF) << 16) | ((buf[at + 2] & 0xFF) << 8)
                | (buf[at + 3] & 0xFF);
    }

    public static void putU16(byte[] buf, int at, int value) {
        buf[at] = (byte) (value >>> 8);
        buf[at + 1] = (byte) value;
    }

    public static void putU32(byte[] buf, int at, long value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }
}
