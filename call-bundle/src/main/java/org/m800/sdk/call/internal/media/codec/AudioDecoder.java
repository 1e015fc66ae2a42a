package org.m800.sdk.call.internal.media.codec;

/** Decodes RTP payloads into 20 ms frames of 16-bit mono PCM, and makes up frames for lost packets. Not thread-safe. */
public interface AudioDecoder {

    /** @return the sample rate of the frames it gives */
    int sampleRate();

    /**
     * @param out exactly {@code sampleRate() / 50} samples, overwritten
     * @throws IllegalArgumentException if the payload cannot be decoded (the caller conceals instead)
     */
    void decode(byte[] payload, int offset, int length, short[] out);

    /** Fills {@code out} with a stand-in for one lost frame (packet loss concealment). */
    void conceal(short[] out);

    /**
     * Rebuilds a lost frame from the packet that follows it, when the codec carries a copy of the previous
     * frame in each packet (Opus in-band FEC, RFC 6716 2.1.7); the default conceals.
     *
     * @param next the payload of the packet right after the lost one (it is decoded normally afterwards)
     */
    default void recover(byte[] next, short[] out) {
        conceal(out);
    }
}
