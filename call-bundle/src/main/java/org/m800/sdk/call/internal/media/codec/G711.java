package org.m800.sdk.call.internal.media.codec;

/**
 * G.711 μ-law and A-law (ITU-T G.711) sample conversions. The JDK converts these formats only through
 * {@code javax.sound.sampled} audio streams, which cost an allocation and a stream per 20 ms frame; the
 * tables here are the same conversion (checked against the JDK's in the tests) on arrays.
 */
final class G711 {

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = ulawToLinear((byte) i);
            ALAW_TO_LINEAR[i] = alawToLinear((byte) i);
        }
    }

    private G711() {
    }

    static short ulawDecode(byte b) {
        return ULAW_TO_LINEAR[b & 0xFF];
    }

    static short alawDecode(byte b) {
        return ALAW_TO_LINEAR[b & 0xFF];
    }

    static byte ulawEncode(short sample) {
        final int bias = 0x84;
        final int clip = 32635;
        int pcm = sample;
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        if (pcm > clip) {
            pcm = clip;
        }
        pcm += bias;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    static byte alawEncode(short sample) {
        int pcm = sample;
        int sign = (~pcm >> 8) & 0x80;
        if (sign == 0) {
            pcm = -pcm;
        }
        if (pcm > 32767) {
            pcm = 32767;
        }
        int encoded;
        if (pcm >= 256) {
            int exponent = 7;
            for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 1; mask >>= 1) {
                exponent--;
            }
            int mantissa = (pcm >> (exponent + 3)) & 0x0F;
            encoded = (exponent << 4) | mantissa;
        } else {
            encoded = pcm >> 4;
        }
        return (byte) ((encoded | sign) ^ 0x55);
    }

    private static short ulawToLinear(byte b) {
        int u = ~b & 0xFF;
        int sign = u & 0x80;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int sample = (((mantissa << 3) + 0x84) << exponent) - 0x84;
        return (short) (sign != 0 ? -sample : sample);
    }

    private static short alawToLinear(byte b) {
        int a = (b ^ 0x55) & 0xFF;
        int sign = a & 0x80;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int sample = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short) (sign != 0 ? sample : -sample);
    }
}
