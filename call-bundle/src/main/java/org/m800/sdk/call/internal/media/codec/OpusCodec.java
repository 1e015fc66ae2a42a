package org.m800.sdk.call.internal.media.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * Opus (RFC 6716, RTP per RFC 7587) through Concentus, mono; it sends 20 ms frames and receives packets of
 * any duration and any number of frames. The encoder runs at the rate
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
            int most = rate * 120 / 1000;
            return new AudioDecoder() {
                @Override
                public int sampleRate() {
                    return rate;
                }

                @Override
                public int samples(byte[] payload, int offset, int length) {
                    int n;
                    try {
                        n = length <= 0 ? -1 : OpusPacketInfo.getNumSamples(payload, offset, length, rate);
                    } catch (RuntimeException e) {
                        n = -1;
                    }
                    if (n <= 0 || n > most) {
                        throw new IllegalArgumentException("not an Opus packet of 2.5 to 120 ms (" + length + " bytes)");
                    }
                    return n;
                }

                @Override
                public int decode(byte[] payload, int offset, int length, short[] out, int outOffset) {
                    try {
                        // one or several frames (RFC 6716 3.2): the decoder gives them all
                        int n = decoder.decode(payload, offset, length, out, outOffset, most, false);
                        if (n <= 0) {
                            throw new IllegalArgumentException("an Opus packet decoded to nothing (" + length + " bytes)");
                        }
                        return n;
                    } catch (OpusException | RuntimeException e) {
                        throw new IllegalArgumentException("not a decodable Opus packet (" + length + " bytes)", e);
                    }
                }

                @Override
                public void recover(byte[] next, short[] out, int outOffset, int samples) {
                    try {
                        // with more samples than the FEC copy holds, the decoder conceals the start and rebuilds the end
                        int n = decoder.decode(next, 0, next.length, out, outOffset, samples, true);
                        if (n < samples) {
                            java.util.Arrays.fill(out, outOffset + Math.max(n, 0), outOffset + samples, (short) 0);
                        }
                    } catch (OpusException | RuntimeException e) {
                        conceal(out, outOffset, samples);
                    }
                }

                @Override
                public void conceal(short[] out, int outOffset, int samples) {
                    try {
                        int n = decoder.decode(null, 0, 0, out, outOffset, samples, false);
                        if (n < samples) {
                            java.util.Arrays.fill(out, outOffset + Math.max(n, 0), outOffset + samples, (short) 0);
                        }
                    } catch (OpusException | RuntimeException e) {
                        java.util.Arrays.fill(out, outOffset, outOffset + samples, (short) 0);
                    }
                }
            };
        } catch (OpusException e) {
            throw new IllegalArgumentException("Opus cannot decode at " + rate + " Hz", e);
        }
    }
}
