package org.m800.sdk.call.internal.media;

import java.net.InetSocketAddress;
import java.util.List;

import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/**
 * One call leg's audio: a bound UDP socket, RTP/RTCP with rtcp-mux, SRTP (AES_CM_128_HMAC_SHA1_80),
 * the negotiated codec, a jitter buffer with loss concealment, and RFC 4733 DTMF. The contract between
 * the signalling ({@code CallManager}) and the media engine.
 *
 * <p>Life: {@code open} (socket bound, local key made) → the signalling puts {@link #localAddress()},
 * {@link #supportedCodecs()} and {@link #localSrtpKey()} into its SDP → {@link #start} once the answer is
 * known → {@link #update} for each re-offer (hold/resume) → {@link #close()}. Thread-safe; nothing
 * blocks.
 */
public interface MediaSession extends AutoCloseable {

    /** @return the local UDP address RTP and RTCP are received on */
    InetSocketAddress localAddress();

    /** @return the codecs this side can use, most preferred first, payload types as they go in an offer */
    List<AudioCodecSpec> supportedCodecs();

    /** @return this side's SRTP master key and salt (30 bytes) for its {@code a=crypto} line */
    byte[] localSrtpKey();

    /** Starts sending and receiving as agreed, with the given source and sink. */
    void start(NegotiatedMedia media, AudioSource source, AudioSink sink);

    /** Applies a re-offer's outcome (a new direction, address or codec) without a gap in the other direction. */
    void update(NegotiatedMedia media);

    /** Mutes or unmutes what this side sends (silence is sent, the stream goes on). */
    void setMuted(boolean muted);

    /**
     * Sends one RFC 4733 telephone-event.
     *
     * @param digit one of {@code 0-9 * # A-D}
     * @throws IllegalArgumentException for any other character, or if telephone-events were not agreed
     */
    void sendDtmf(char digit);

    /** @return the statistics so far */
    MediaStats stats();

    /** Sets the one listener of this session; {@code null} removes it. */
    void setListener(MediaSessionListener listener);

    /** Stops the streams, closes the socket and releases the source and sink. Idempotent. */
    @Override
    void close();
}
