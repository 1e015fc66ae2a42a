package org.m800.sdk.call.internal.media;

import java.net.InetSocketAddress;

/**
 * What an offer/answer agreed for one leg's audio; the signalling builds it from the two SDPs and
 * gives it to {@link MediaSession#start} and {@link MediaSession#update}. RTP and RTCP share one port
 * ({@code a=rtcp-mux}, RFC 5761).
 *
 * @param remote                  where to send RTP and RTCP (the relay's port for this leg)
 * @param codec                   the one audio codec both sides use
 * @param telephoneEventPayloadType the payload type of RFC 4733 telephone-events, or -1 if not agreed
 * @param direction               what this side does (hold: SENDONLY or INACTIVE)
 * @param remoteSrtpKey           the peer's SRTP master key and salt (30 bytes,
 *                                AES_CM_128_HMAC_SHA1_80) from its {@code a=crypto} line; {@code null} for plain
 *                                RTP both ways (RTP/AVP, only when the application allowed it)
 * @param sendPtimeMs             the duration of the audio in each packet this side sends: what the peer's
 *                                {@code a=ptime} asked for (10, 20, 30, 40 or 60 ms for G.711), else 20
 */
public record NegotiatedMedia(InetSocketAddress remote, AudioCodecSpec codec, int telephoneEventPayloadType,
        MediaDirection direction, byte[] remoteSrtpKey, int sendPtimeMs) {

    /** Media sent in 20 ms packets. */
    public NegotiatedMedia(InetSocketAddress remote, AudioCodecSpec codec, int telephoneEventPayloadType,
            MediaDirection direction, byte[] remoteSrtpKey) {
        this(remote, codec, telephoneEventPayloadType, direction, remoteSrtpKey, 20);
    }

    /** @return whether the audio is SRTP (not plain RTP) */
    public boolean encrypted() {
        return remoteSrtpKey != null;
    }
}
