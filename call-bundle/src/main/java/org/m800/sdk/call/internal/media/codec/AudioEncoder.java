package org.m800.sdk.call.internal.media.codec;

/** Encodes frames of 16-bit mono PCM (20 ms; G.711 also 10, 30 or 40 ms) into RTP payloads. Not thread-safe. */
public interface AudioEncoder {

    /** @return the sample rate of the frames it takes */
    int sampleRate();

    /**
     * @param pcm one packet's samples: {@code sampleRate() / 50} (20 ms); for G.711 also 10, 30 or 40 ms
     * @param out room for the payload (1,500 bytes are always enough)
     * @return the payload's length in {@code out}
     */
    int encode(short[] pcm, byte[] out);
}
