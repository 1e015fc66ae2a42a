package org.m800.sdk.call.internal.media.rtp;

import java.nio.charset.StandardCharsets;

/**
 * Builds and reads the RTCP packets a two-party audio leg needs (RFC 3550 6.4, 6.5, 6.6): a compound
 * packet of a sender report (SR) or a receiver report (RR) with at most one report block, then an SDES
 * with the CNAME, and BYE when the leg ends.
 */
public final class Rtcp {

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;

    /** Seconds from 1900 (NTP) to 1970 (Unix). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private Rtcp() {
    }

    /** One report block: what we say about the source we receive. */
    public record ReportBlock(long ssrc, int fractionLost, long cumulativeLost, long extendedHighest,
            long jitter, long lastSr, long delaySinceLastSr) {
    }

    /** The sender-info part of an SR. */
    public record SenderInfo(long ntpTimestamp, long rtpTimestamp, long packets, long octets) {
    }

    /** What a received compound packet said. {@code sender}/{@code block} may be {@code null}. */
    public record Received(long ssrc, SenderInfo sender, ReportBlock block, boolean bye) {
    }

    /** @return the 64-bit NTP timestamp of a wall-clock time in milliseconds since 1970 */
    public static long ntp(long unixMillis) {
        long seconds = unixMillis / 1000 + NTP_UNIX_OFFSET;
        long fraction = ((unixMillis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /** @return the middle 32 bits of an NTP timestamp, as LSR and DLSR use it (units of 1/65536 s) */
    public static long middle32(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }

    /**
     * Writes a compound packet: an SR if {@code sender} is given, otherwise an RR; one report block if
     * {@code block} is given; SDES CNAME; BYE if {@code bye}.
     *
     * @return its length
     */
    public static int write(byte[] buf, long ssrc, SenderInfo sender, ReportBlock block, String cname, boolean bye) {
        int at = 0;
        int blocks = block == null ? 0 : 1;
        int words = (sender != null ? 6 : 1) + 6 * blocks; // length in 32-bit words minus one
        buf[at] = (byte) (0x80 | blocks);
        buf[at + 1] = (byte) (sender != null ? SR : RR);
        RtpHeader.putU16(buf, at + 2, words);
        RtpHeader.putU32(buf, at + 4, ssrc);
        at += 8;
        if (sender != null) {
            RtpHeader.putU32(buf, at, sender.ntpTimestamp() >>> 32);
            RtpHeader.putU32(buf, at + 4, sender.ntpTimestamp());
            RtpHeader.putU32(buf, at + 8, sender.rtpTimestamp());
            RtpHeader.putU32(buf, at + 12, sender.packets());
            RtpHeader.putU32(buf, at + 16, sender.octets());
            at += 20;
        }
        if (block != null) {
            RtpHeader.putU32(buf, at, block.ssrc());
            long lost = Math.max(-0x800000, Math.min(0x7FFFFF, block.cumulativeLost())) & 0xFFFFFF;
            RtpHeader.putU32(buf, at + 4, ((long) (block.fractionLost() & 0xFF) << 24) | lost);
            RtpHeader.putU32(buf, at + 8, block.extendedHighest());
            RtpHeader.putU32(buf, at + 12, block.jitter());
            RtpHeader.putU32(buf, at + 16, block.lastSr());
            RtpHeader.putU32(buf, at + 20, block.delaySinceLastSr());
            at += 24;
        }
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        int nameLen = Math.min(255, name.length);
        int chunk = 4 + 2 + nameLen + 1; // SSRC, CNAME item, END
        int padded = (chunk + 3) & ~3;
        buf[at] = (byte) 0x81;
        buf[at + 1] = (byte) SDES;
        RtpHeader.putU16(buf, at + 2, padded / 4);
        RtpHeader.putU32(buf, at + 4, ssrc);
        buf[at + 8] = 1;
        buf[at + 9] = (byte) nameLen;
        System.arraycopy(name, 0, buf, at + 10, nameLen);
        for (int i = at + 10 + nameLen; i < at + 4 + padded; i++) {
            buf[i] = 0;
        }
        at += 4 + padded;
        if (bye) {
            buf[at] = (byte) 0x81;
            buf[at + 1] = (byte) BYE;
            RtpHeader.putU16(buf, at + 2, 1);
            RtpHeader.putU32(buf, at + 4, ssrc);
            at += 8;
        }
        return at;
    }

    /**
     * Reads a compound packet; takes the first SR/RR and its first report block about {@code ourSsrc}.
     *
     * @return what it said, or {@code null} if it is not a valid compound packet
     */
    public static Received read(byte[] buf, int len, long ourSsrc) {
        int at = 0;
        long ssrc = -1;
        SenderInfo sender = null;
        ReportBlock block = null;
        boolean bye = false;
        while (at + 4 <= len) {
            if ((buf[at] & 0xC0) != 0x80) {
                return null;
            }
            int count = buf[at] & 0x1F;
            int type = buf[at + 1] & 0xFF;
            int end = at + 4 * (RtpHeader.u16(buf, at + 2) + 1);
            if (end > len) {
                return null;
            }
            if ((type == SR || type == RR) && ssrc < 0 && end >= at + 8) {
                ssrc = RtpHeader.u32(buf, at + 4);
                int blocksAt = at + 8;
                if (type == SR && end >= at + 28) {
                    sender = new SenderInfo((RtpHeader.u32(buf, at + 8) << 32) | RtpHeader.u32(buf, at + 12),
                            RtpHeader.u32(buf, at + 16), RtpHeader.u32(buf, at + 20), RtpHeader.u32(buf, at + 24));
                    blocksAt = at + 28;
                }
                for (int i = 0; i < count && blocksAt + 24 <= end; i++, blocksAt += 24) {
                    long about = RtpHeader.u32(buf, blocksAt);
                    if (about == ourSsrc && block == null) {
                        long word = RtpHeader.u32(buf, blocksAt + 4);
                        long lost = word & 0xFFFFFF;
                        if ((lost & 0x800000) != 0) {
                            lost -= 0x1000000;
                        }
                        block = new ReportBlock(about, (int) (word >>> 24), lost, RtpHeader.u32(buf, blocksAt + 8),
                                RtpHeader.u32(buf, blocksAt + 12), RtpHeader.u32(buf, blocksAt + 16),
                                RtpHeader.u32(buf, blocksAt + 20));
                    }
                }
            } else if (type == BYE) {
                bye = true;
            }
            at = end;
        }
        return at == len && ssrc >= 0 ? new Received(ssrc, sender, block, bye) : null;
    }
}
