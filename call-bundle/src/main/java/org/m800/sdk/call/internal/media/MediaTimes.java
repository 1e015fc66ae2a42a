package org.m800.sdk.call.internal.media;

/**
 * When a leg's audio first moved, in {@link System#nanoTime()} units, each -1 until it happened: for
 * tracing a call's set-up (the W10 benchmark's phase table), not for the API.
 *
 * @param startedNanos  {@link MediaSession#start} (the answer and the peer's key are known)
 * @param firstSentNanos the first RTP packet was handed to the socket
 * @param firstReceivedNanos the first RTP packet of the peer's was authenticated
 * @param firstPlayedNanos the jitter buffer gave its first frame of audio (not silence) to the decoder
 */
public record MediaTimes(long startedNanos, long firstSentNanos, long firstReceivedNanos, long firstPlayedNanos) {

    /** Nothing happened yet, or the session does not trace. */
    public static final MediaTimes NONE = new MediaTimes(-1, -1, -1, -1);
}
