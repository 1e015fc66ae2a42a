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
 *
 * <p>What the engine ({@link MediaEngine#create()}) expects of the SDP: it asks for 20 ms packets (its own
 * {@code a=ptime:20}) but receives packets of any duration the codec allows (G.711: any; Opus: 2.5 to 120 ms,
 * one or several frames), and sends packets of {@link NegotiatedMedia#sendPtimeMs()} (G.711: 10, 20, 30, 40
 * or 60 ms; Opus: 20 ms);
 * telephone-events at the clock rate of the agreed codec; a source and sink at 8, 12, 16, 24, 32 or
 * 48 kHz. {@link #start} and {@link #update} throw {@link IllegalArgumentException} saying what is wrong
 * with a {@link NegotiatedMedia} (a codec the engine lacks, a key that is not 30 bytes, a missing address)
 * and {@link IllegalStateException} when called out of order (update before start, start twice, after
 * close).
 */
public interface MediaSession extends AutoCloseable {

    /** @return the local UDP address RTP and RTCP are received on */
    InetSocketAddress localAddress();

    /**
     * @return the codecs this side can use, most preferred first, payload types as they go in an offer:
     *         {@code opus/48000/2} (111), {@code PCMU/8000} (0), {@code PCMA/8000} (8), and
     *         {@code telephone-event} at 48000 (110) and at 8000 (101)
     */
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

    /** @return the RMS level of the last 20 ms sent, 0..1 of full scale (0 when muted or not sending) */
    default float sendLevel() {
        return 0;
    }

    /** @return the RMS level of the last 20 ms played to the sink, 0..1 of full scale */
    default float receiveLevel() {
        return 0;
    }

    /** @return when this leg's audio first moved (for tracing a call's set-up) */
    default MediaTimes times() {
        return MediaTimes.NONE;
    }

    /** Sets the one listener of this session; {@code null} removes it. */
    void setListener(MediaSessionListener listener);

    /** Stops the streams, closes the socket and releases the source and sink. Idempotent. */
    @Override
    void close();
}
