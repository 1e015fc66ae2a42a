package org.m800.sdk.call.internal.media.codec;

/**
 * G.711 PCMU (μ-law, payload type 0) or PCMA (A-law, 8): 8 kHz, one byte per sample, so a packet of any
 * duration (160 bytes per 20 ms). Loss concealment repeats the last 20 ms received, fading by half every
 * 20 ms, then silence after 60 ms, the simplest of the methods of G.711 Appendix I's family. Not
 * thread-safe.
 */
final class G711Codec implements AudioEncoder, AudioDecoder {

    static final int RATE = 8000;
    private static final int FRAME = RATE / 50;

    private final boolean ulaw;
    /** the last 20 ms received, oldest first */
    private final short[] last = new short[FRAME];
    private int concealedSamples;

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
    public int samples(byte[] payload, int offset, int length) {
        if (length <= 0 || length > MAX_PACKET_SAMPLES) {
            throw new IllegalArgumentException("a G.711 payload has 1 to " + MAX_PACKET_SAMPLES + " bytes, not " + length);
        }
        return length;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] out, int outOffset) {
        samples(payload, offset, length);
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = ulaw ? G711.ulawDecode(payload[offset + i]) : G711.alawDecode(payload[offset + i]);
        }
        int keep = Math.min(FRAME, length);
        System.arraycopy(last, keep, last, 0, FRAME - keep);
        System.arraycopy(out, outOffset + length - keep, last, FRAME - keep, keep);
        concealedSamples = 0;
        return length;
    }

    @Override
    public void conceal(short[] out, int outOffset, int samples) {
        for (int i = 0; i < samples; i++, concealedSamples++) {
            int fade = concealedSamples / FRAME + 1;
            out[outOffset + i] = fade > 3 ? 0 : (short) (last[concealedSamples % FRAME] >> fade);
        }
    }
}
