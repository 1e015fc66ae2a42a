package org.m800.sdk.call.internal.media.codec;

/**
 * Decodes RTP payloads of any duration the codec allows (G.711: any number of samples; Opus: 2.5 to 120 ms,
 * one or several frames per packet) into 16-bit mono PCM, and makes up audio for lost packets. A decoder runs
 * at its codec's RTP clock rate, so that a duration in samples is also one in RTP timestamp units. Not
 * thread-safe.
 */
public interface AudioDecoder {

    /** The most samples one payload can hold: 120 ms at 48 kHz (Opus's longest packet). */
    int MAX_PACKET_SAMPLES = 5760;

    /** @return the sample rate of the audio it gives, equal to the codec's RTP clock rate */
    int sampleRate();

    /**
     * @return how many samples the payload decodes to (its duration)
     * @throws IllegalArgumentException if the payload is not one of this codec's (the caller conceals instead)
     */
    int samples(byte[] payload, int offset, int length);

    /**
     * Decodes a payload into {@code out} from {@code outOffset}, which has room for {@link #samples} samples.
     *
     * @return the samples written
     * @throws IllegalArgumentException if the payload cannot be decoded (the caller conceals instead)
     */
    int decode(byte[] payload, int offset, int length, short[] out, int outOffset);

    /**
     * Writes a stand-in for {@code samples} samples of lost audio (packet loss concealment).
     *
     * @param samples a multiple of 2.5 ms of samples ({@code sampleRate() / 400})
     */
    void conceal(short[] out, int outOffset, int samples);

    /**
     * Rebuilds lost audio from the packet that follows it, when the codec carries a copy of the previous
     * frame in each packet (Opus in-band FEC, RFC 6716 2.1.7); the default conceals.
     *
     * @param next    the payload of the packet right after the lost one (it is decoded normally afterwards)
     * @param samples the lost duration, a multiple of 2.5 ms of samples
     */
    default void recover(byte[] next, short[] out, int outOffset, int samples) {
        conceal(out, outOffset, samples);
    }
}
