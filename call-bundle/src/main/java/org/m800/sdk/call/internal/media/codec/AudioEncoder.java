package org.m800.sdk.call.internal.media.codec;

/** Encodes 20 ms frames of 16-bit mono PCM into RTP payloads. Not thread-safe. */
public interface AudioEncoder {

    /** @return the sample rate of the frames it takes */
    int sampleRate();

    /**
     * @param pcm exactly {@code sampleRate() / 50} samples
     * @param out room for the payload (1,500 bytes are always enough)
     * @return the payload's length in {@code out}
     */
    int encode(short[] pcm, byte[] out);
}
