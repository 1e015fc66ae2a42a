package org.m800.sdk.call.internal.media.srtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.m800.sdk.call.internal.media.rtp.RtpHeader;

/**
 * SRTP and SRTCP (RFC 3711) with the crypto suite AES_CM_128_HMAC_SHA1_80, for one direction of one
 * stream: the sender protects its packets with its master key, the receiver unprotects them with the
 * same key (exchanged by SDES, RFC 4568). Written on the JDK's {@code AES/CTR} and {@code HmacSHA1}
 * because the maintained Java SRTP library (jitsi-srtp) needs Kotlin libraries that do not deploy as
 * plain bundles. Key derivation rate zero, no MKI, as SDES offers it.
 *
 * <p>Packets are protected and unprotected in place in a byte array with room for the 10-byte tag (and
 * the 4-byte SRTCP index). Not thread-safe: a session uses one context per direction on one thread.
 */
public final class SrtpContext {

    /** Bytes of a master key and salt together, as an {@code a=crypto} line carries them. */
    public static final int MASTER_LENGTH = 30;
    /** Bytes SRTP adds to an RTP packet (the authentication tag). */
    public static final int RTP_OVERHEAD = 10;
    /** Bytes SRTCP adds to an RTCP packet (E flag and index, then the tag). */
    public static final int RTCP_OVERHEAD = 14;

    private static final int TAG = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AesCm rtpCipher;
    private final byte[] rtpSalt;
    private final Mac rtpMac;
    private final AesCm rtcpCipher;
    private final byte[] rtcpSalt;
    private final Mac rtcpMac;
    private final byte[] tag = new byte[20];

    // RTP index state (RFC 3711 3.3.1): the SSRC it is for, the rollover counter and highest sequence number
    private long ssrc = -1;
    private long roc;
    private int highestSeq = -1;
    private final ReplayWindow rtpReplay = new ReplayWindow();

    // SRTCP
    private long rtcpIndex;
    private final ReplayWindow rtcpReplay = new ReplayWindow();

    /**
     * @param master the 16-byte master key followed by the 14-byte master salt
     * @throws IllegalArgumentException if it is not 30 bytes
     */
    public SrtpContext(byte[] master) {
        if (master == null || master.length != MASTER_LENGTH) {
            throw new IllegalArgumentException("an AES_CM_128_HMAC_SHA1_80 master key and salt is "
                    + MASTER_LENGTH + " bytes, not " + (master == null ? "null" : master.length));
        }
        byte[] key = Arrays.copyOfRange(master, 0, 16);
        byte[] salt = Arrays.copyOfRange(master, 16, 30);
        rtpCipher = new AesCm(AesCm.derive(key, salt, 0, 16));
        rtpMac = hmac(AesCm.derive(key, salt, 1, 20));
        rtpSalt = AesCm.derive(key, salt, 2, 14);
        rtcpCipher = new AesCm(AesCm.derive(key, salt, 3, 16));
        rtcpMac = hmac(AesCm.derive(key, salt, 4, 20));
        rtcpSalt = AesCm.derive(key, salt, 5, 14);
    }

    /** @return a fresh random master key and salt */
    public static byte[] newMaster() {
        byte[] master = new byte[MASTER_LENGTH];
        RANDOM.nextBytes(master);
        return master;
    }

    /**
     * Encrypts an RTP packet's payload and appends its tag.
     *
     * @param buf a packet of {@code len} bytes from offset 0, with {@link #RTP_OVERHEAD} spare bytes after it
     * @return the SRTP packet's length
     * @throws IllegalArgumentException if the packet is not RTP
     */
    public int protectRtp(byte[] buf, int len) {
        int header = RtpHeader.length(buf, len);
        if (header < 0) {
            throw new IllegalArgumentException("not an RTP packet");
        }
        long packetSsrc = RtpHeader.ssrc(buf);
        int seq = RtpHeader.sequence(buf);
        if (packetSsrc != ssrc) {
            ssrc = packetSsrc;
            roc = 0;
            highestSeq = seq;
        } else if (seq < highestSeq && highestSeq - seq > 0x8000) {
            roc = (roc + 1) & 0xFFFFFFFFL;
            highestSeq = seq;
        } else if (seq > highestSeq) {
            highestSeq = seq;
        }
        long index = (roc << 16) | seq;
        rtpCipher.apply(AesCm.iv(rtpSalt, packetSsrc, index), buf, header, len - header);
        authenticate(rtpMac, buf, len, roc);
        System.arraycopy(tag, 0, buf, len, TAG);
        return len + TAG;
    }

    /**
     * Checks an SRTP packet's tag and replay, then decrypts its payload in place.
     *
     * @return the RTP packet's length (without the tag)
     * @throws SrtpException if it is too short, not authentic or replayed; {@code buf} is then unchanged
     */
    public int unprotectRtp(byte[] buf, int len) throws SrtpException {
        int header = RtpHeader.length(buf, len - TAG);
        if (header < 0) {
            throw new SrtpException("not an SRTP packet (" + len + " bytes)");
        }
        long packetSsrc = RtpHeader.ssrc(buf);
        int seq = RtpHeader.sequence(buf);
        boolean newStream = packetSsrc != ssrc;
        long guessRoc = newStream ? 0 : estimateRoc(seq);
        long index = (guessRoc << 16) | seq;
        if (!newStream && !rtpReplay.isFresh(index)) {
            throw new SrtpException("replayed SRTP packet (index " + index + ")");
        }
        int payloadEnd = len - TAG;
        authenticate(rtpMac, buf, payloadEnd, guessRoc);
        if (!MessageDigest.isEqual(Arrays.copyOf(tag, TAG), Arrays.copyOfRange(buf, payloadEnd, len))) {
            throw new SrtpException("SRTP authentication failed");
        }
        if (newStream) {
            ssrc = packetSsrc;
            roc = 0;
            highestSeq = seq;
            rtpReplay.reset();
        } else if (index > ((roc << 16) | highestSeq)) {
            roc = guessRoc;
            highestSeq = seq;
        }
        rtpReplay.accept(index);
        rtpCipher.apply(AesCm.iv(rtpSalt, packetSsrc, index), buf, header, payloadEnd - header);
        return payloadEnd;
    }

    /**
     * Encrypts an RTCP compound packet (all after its first 8 bytes), appends the E flag with the SRTCP
     * index and the tag.
     *
     * @param buf a compound packet of {@code len} bytes with {@link #RTCP_OVERHEAD} spare bytes after it
     * @return the SRTCP packet's length
     */
    public int protectRtcp(byte[] buf, int len) {
        if (len < 8) {
            throw new IllegalArgumentException("an RTCP packet has at least 8 bytes");
        }
        long index = rtcpIndex;
        rtcpIndex = (rtcpIndex + 1) & 0x7FFFFFFFL;
        rtcpCipher.apply(AesCm.iv(rtcpSalt, RtpHeader.u32(buf, 4), index), buf, 8, len - 8);
        long eIndex = 0x80000000L | index;
        for (int i = 0; i < 4; i++) {
            buf[len + i] = (byte) (eIndex >>> (24 - 8 * i));
        }
        authenticate(rtcpMac, buf, len + 4, -1);
        System.arraycopy(tag, 0, buf, len + 4, TAG);
        return len + 4 + TAG;
    }

    /**
     * Checks an SRTCP packet's tag and replay and decrypts it in place.
     *
     * @return the RTCP compound packet's length
     * @throws SrtpException if it is too short, not authentic or replayed
     */
    public int unprotectRtcp(byte[] buf, int len) throws SrtpException {
        if (len < 8 + 4 + TAG) {
            throw new SrtpException("not an SRTCP packet (" + len + " bytes)");
        }
        int indexAt = len - TAG - 4;
        long eIndex = RtpHeader.u32(buf, indexAt);
        long index = eIndex & 0x7FFFFFFFL;
        if (!rtcpReplay.isFresh(index)) {
            throw new SrtpException("replayed SRTCP packet (index " + index + ")");
        }
        authenticate(rtcpMac, buf, indexAt + 4, -1);
        if (!MessageDigest.isEqual(Arrays.copyOf(tag, TAG), Arrays.copyOfRange(buf, indexAt + 4, len))) {
            throw new SrtpException("SRTCP authentication failed");
        }
        rtcpReplay.accept(index);
        if ((eIndex & 0x80000000L) != 0) {
            rtcpCipher.apply(AesCm.iv(rtcpSalt, RtpHeader.u32(buf, 4), index), buf, 8, indexAt - 8);
        }
        return indexAt;
    }

    /** RFC 3711 3.3.1: the rollover counter that puts {@code seq} closest to the highest index seen. */
    private long estimateRoc(int seq) {
        if (highestSeq < 0x8000) {
            return seq - highestSeq > 0x8000 ? (roc - 1) & 0xFFFFFFFFL : roc;
        }
        return highestSeq - 0x8000 > seq ? (roc + 1) & 0xFFFFFFFFL : roc;
    }

    /** HMAC-SHA1 of {@code buf[0, len)} followed, for RTP, by the rollover counter; into {@link #tag}. */
    private void authenticate(Mac mac, byte[] buf, int len, long rollover) {
        mac.update(buf, 0, len);
        if (rollover >= 0) {
            mac.update((byte) (rollover >>> 24));
            mac.update((byte) (rollover >>> 16));
            mac.update((byte) (rollover >>> 8));
            mac.update((byte) rollover);
        }
        try {
            mac.doFinal(tag, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 failed", e);
        }
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA1", e);
        }
    }
}
