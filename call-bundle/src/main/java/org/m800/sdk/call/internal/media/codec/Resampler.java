package org.m800.sdk.call.internal.media.codec;

/**
 * Converts a stream of 20 ms frames from one sample rate to another (8, 12, 16, 24, 32 or 48 kHz) with a
 * windowed-sinc interpolator: each output sample is a weighted sum of the input samples around its
 * position (16 when up-sampling, 16 times the ratio when down-sampling, so that the filter's transition band
 * is as narrow at the lower rate), the sinc's cutoff just below the lower of the two Nyquist frequencies so
 * that down-sampling does not alias. The filter's phases are computed once; the last input samples are kept between frames. Not
 * thread-safe: one per stream.
 */
public final class Resampler {

    private static final int HALF_TAPS = 8;

    private final int inRate;
    private final int outRate;
    private final int step;
    private final int phases;
    private final float[][] taps;
    private final short[] history;
    private final int inFrame;
    private final int outFrame;
    private final int half;

    /** @throws IllegalArgumentException if a rate is not a multiple of 50 Hz */
    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0 || inRate % 50 != 0 || outRate % 50 != 0) {
            throw new IllegalArgumentException("cannot resample " + inRate + " Hz to " + outRate + " Hz");
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int gcd = gcd(inRate, outRate);
        step = inRate / gcd;
        phases = outRate / gcd;
        inFrame = inRate / 50;
        outFrame = outRate / 50;
        double ratio = Math.min(1.0, (double) outRate / inRate);
        double cutoff = ratio * 0.9;
        half = (int) Math.ceil(HALF_TAPS / ratio);
        taps = new float[phases][2 * half];
        for (int p = 0; p < phases; p++) {
            double frac = (double) p / phases;
            double sum = 0;
            for (int k = 0; k < 2 * half; k++) {
                double x = (k - half + 1) - frac;
                double window = 0.5 + 0.5 * Math.cos(Math.PI * x / half);
                double v = cutoff * sinc(cutoff * x) * (Math.abs(x) < half ? window : 0);
                taps[p][k] = (float) v;
                sum += v;
            }
            for (int k = 0; k < 2 * half; k++) {
                taps[p][k] /= (float) sum;
            }
        }
        history = new short[inFrame + 2 * half];
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /**
     * @param in  one frame of {@code inRate / 50} samples
     * @param out one frame of {@code outRate / 50} samples, overwritten
     */
    public void process(short[] in, short[] out) {
        if (inRate == outRate) {
            System.arraycopy(in, 0, out, 0, inFrame);
            return;
        }
        // history: the 2*half samples before this frame, then this frame; output lags the input by half samples
        System.arraycopy(history, inFrame, history, 0, 2 * half);
        System.arraycopy(in, 0, history, 2 * half, inFrame);
        for (int n = 0; n < outFrame; n++) {
            long pos = (long) n * step;
            int base = (int) (pos / phases);
            int phase = (int) (pos % phases);
            float[] t = taps[phase];
            float acc = 0;
            int start = base + 1;
            for (int k = 0; k < t.length; k++) {
                acc += t[k] * history[start + k];
            }
            int v = Math.round(acc);
            out[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
