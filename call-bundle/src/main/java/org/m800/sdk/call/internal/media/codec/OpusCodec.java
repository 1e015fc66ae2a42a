package org.m800.sdk.call.internal.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * Opus (RFC 6716, RTP per RFC 7587) through Concentus, mono, 20 ms frames. The encoder runs at the rate
 * of the source when Opus supports it (8, 12, 16, 24 or 48 kHz), so that no resampling is needed; the
 * decoder at 48 kHz (see {@link Codecs#decoder}); the RTP clock is 48 kHz whatever they run at. Loss concealment is Opus's own PLC. Not
 * thread-safe.
 */
final class OpusCodec {

    /** The rates Opus encodes and decodes at. */
    static boolean supports(int rate) {
        return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
    }

    private OpusCodec() {
    }

    static AudioEncoder encoder(int rate, int bitrate) {
        try {
            OpusEncoder encoder = new OpusEncoder(rate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(bitrate);
            encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
            encoder.setComplexity(5);
            encoder.setUseInbandFEC(true);
            encoder.setPacketLossPercent(5);
            int frame = rate / 50;
            return new AudioEncoder() {
                @Override
                public int sampleRate() {
                    return rate;
                }

                @Override
                public int encode(short[] pcm, byte[] out) {
                    try {
                        return encoder.encode(pcm, 0, frame, out, 0, out.length);
                    } catch (OpusException e) {
                        throw new IllegalStateException("Opus encoding failed", e);
                    }
                }
            };
        } catch (OpusException e) {
            throw new IllegalArgumentException("Opus cannot encode at " + rate + " Hz", e);
        }
    }

    static AudioDecoder decoder(int rate) {
        try {
            OpusDecoder decoder = new OpusDecoder(rate, 1);
            int frame = rate / 50;
            return new AudioDecoder() {
                @Override
                public int sampleRate() {
                    return rate;
                }

                @Override
                public void decode(byte[] payload, int offset, int length, short[] out) {
                    try {
                        int n = decoder.decode(payload, offset, length, out, 0, frame, false);
                        if (n < frame) {
                            java.util.Arrays.fill(out, Math.max(n, 0), frame, (short) 0);
                        }
                    } catch (OpusException | RuntimeException e) {
                        throw new IllegalArgumentException("not a decodable Opus packet (" + length + " bytes)", e);
                    }
                }

                @Override
                public void recover(byte[] next, short[] out) {
                    try {
                        int n = decoder.decode(next, 0, next.length, out, 0, frame, true);
                        if (n < frame) {
                            java.util.Arrays.fill(out, Math.max(n, 0), frame, (short) 0);
                        }
                    } catch (OpusException | RuntimeException e) {
                        conceal(out);
                    }
                }

                @Override
                public void conceal(short[] out) {
                    try {
                        decoder.decode(null, 0, 0, out, 0, frame, false);
                    } catch (OpusException | RuntimeException e) {
                        java.util.Arrays.fill(out, (short) 0);
                    }
                }
            };
        } catch (OpusException e) {
            throw new IllegalArgumentException("Opus cannot decode at " + rate + " Hz", e);
        }
    }
}
