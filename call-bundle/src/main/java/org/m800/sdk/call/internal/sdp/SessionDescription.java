package org.m800.sdk.call.internal.sdp;

import java.util.List;
import java.util.Map;

import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;

/**
 * One SDP (RFC 4566) with one audio stream, as calls use it (docs/protocol.md 13.4). Immutable.
 *
 * @param sessionId      the origin's session id
 * @param version        the origin's session version (grows with each re-offer, RFC 3264 8)
 * @param address        the connection address the audio is received on
 * @param port           the audio port (RTP and RTCP, rtcp-mux)
 * @param profile        the transport profile, {@code RTP/SAVP}
 * @param codecs         the payload types of the m= line in their order, with their rtpmap
 * @param fmtp           format parameters by payload type
 * @param rtcpMux        whether {@code a=rtcp-mux} is present
 * @param crypto         the first {@code a=crypto} line's key, or null
 * @param direction      the direction attribute (default sendrecv)
 * @param ptime          the {@code a=ptime} the writer wants to receive, in milliseconds, or 0 when absent
 */
public record SessionDescription(String sessionId, long version, String address, int port, String profile,
        List<AudioCodecSpec> codecs, Map<Integer, String> fmtp, boolean rtcpMux, Crypto crypto,
        MediaDirection direction, int ptime) {

    /** The packet time this SDK receives and writes in its own descriptions. */
    public static final int PTIME = 20;

    /** The SDES suite calls use (RFC 4568). */
    public static final String SUITE = "AES_CM_128_HMAC_SHA1_80";

    /**
     * An {@code a=crypto} line.
     *
     * @param tag   the tag
     * @param suite the crypto suite
     * @param key   the master key and salt (30 bytes for {@value SessionDescription#SUITE})
     */
    public record Crypto(int tag, String suite, byte[] key) {
    }

    public SessionDescription {
        codecs = List.copyOf(codecs);
        fmtp = Map.copyOf(fmtp);
    }

    /** @return the audio codecs (not telephone-event), in the m= line's order */
    public List<AudioCodecSpec> audioCodecs() {
        return codecs.stream().filter(c -> !c.name().equalsIgnoreCase("telephone-event")).toList();
    }

    /** @return this description with another direction and version */
    public SessionDescription with(MediaDirection newDirection, long newVersion) {
        return new SessionDescription(sessionId, newVersion, address, port, profile, codecs, fmtp, rtcpMux, crypto,
                newDirection, ptime);
    }
}
