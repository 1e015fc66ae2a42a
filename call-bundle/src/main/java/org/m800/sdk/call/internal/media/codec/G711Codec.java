package org.m800.sdk.call.internal.media.codec;

/**
 * G.711 PCMU (μ-law, payload type 0) or PCMA (A-law, 8): 8 kHz, one byte per sample, 160 bytes per 20 ms.
 * Loss concealment repeats the last good frame, fading by half each time, then silence after 60 ms, the
 * simplest of the methods of G.711 Appendix I's family. Not thread-safe.
 */
final class G711Codec implements AudioEncoder, AudioDecoder {

    static final int RATE = 8000;
    private static final int FRAME = RATE / 50;

    private final boolean ulaw;
    private final short[] last = new short[FRAME];
    private int concealed;

    G711Codec(boolean ulaw) {
        this.ulaw = ulaw;
    }

    @Override
    public int sampleRate() {
        return RATE;
    }

    @Override
    public int encode(short[] pcm, byte[] out) {
        // any packet time: one byte per sample
        for (int i = 0; i < pcm.length; i++) {
            out[i] = ulaw ? G711.ulawEncode(pcm[i]) : G711.alawEncode(pcm[i]);
        }
        return pcm.length;
    }

    @Override
    public void decode(byte[] payload, int offset, int length, short[] out) {
        if (length != FRAME) {
            throw new IllegalArgumentException("a 20 ms G.711 payload has 160 bytes, not " + length);
        }
        for (int i = 0; i < FRAME; i++) {
            out[i] = ulaw ? G711.ulawDecode(payload[offset + i]) : G711.alawDecode(payload[offset + i]);
        }
        System.arraycopy(out, 0, last, 0, FRAME);
        concealed = 0;
    }

    @Override
    public void conceal(short[] out) {
        concealed++;
        int shift = concealed;
        for (int i = 0; i < FRAME; i++) {
            out[i] = concealed > 3 ? 0 : (short) (last[i] >> shift);
        }
    }
}
