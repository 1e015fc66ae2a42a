package org.m800.sdk.call.internal.media.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.m800.sdk.call.testing.Goertzel;

/** The resampler keeps a tone's frequency and level across rates and does not alias when it down-samples. */
public class ResamplerTest {

    private static short[] run(int inRate, int outRate, double frequency, int frames) {
        Resampler resampler = new Resampler(inRate, outRate);
        short[] in = new short[inRate / 50];
        short[] out = new short[outRate / 50];
        short[] all = new short[frames * out.length];
        long n = 0;
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < in.length; i++, n++) {
                in[i] = (short) Math.round(10000 * Math.sin(2 * Math.PI * frequency * n / inRate));
            }
            resampler.process(in, out);
            System.arraycopy(out, 0, all, f * out.length, out.length);
        }
        return java.util.Arrays.copyOfRange(all, out.length, all.length); // without the filter's start-up
    }

    @Test
    public void aToneKeepsItsFrequencyAndLevel() {
        int[][] pairs = {{8000, 48000}, {48000, 8000}, {8000, 16000}, {16000, 8000}, {16000, 48000}, {48000, 16000}};
        for (int[] pair : pairs) {
            short[] out = run(pair[0], pair[1], 1000, 50);
            String what = pair[0] + " -> " + pair[1] + ": " + Goertzel.describe(out, pair[1], 1000, 440);
            assertEquals(what, 10000, Goertzel.amplitude(out, pair[1], 1000), 600);
            assertTrue(what, Goertzel.amplitude(out, pair[1], 440) < 100);
        }
    }

    @Test
    public void downSamplingFiltersWhatTheLowerRateCannotCarry() {
        // 6 kHz cannot exist at 8 kHz; without a low-pass it would alias to 2 kHz
        short[] out = run(48000, 8000, 6000, 50);
        assertTrue(Goertzel.describe(out, 8000, 2000), Goertzel.amplitude(out, 8000, 2000) < 500);
    }

    @Test
    public void equalRatesCopy() {
        short[] out = run(16000, 16000, 440, 5);
        assertEquals(10000, Goertzel.amplitude(out, 16000, 440), 300);
    }
}
