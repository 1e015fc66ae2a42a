package org.m800.sdk.call.testing;

/**
 * Tone detection for tests (the Goertzel algorithm): the amplitude of one frequency in a block of PCM, so
 * that a test can say "this sink hears 1,000 Hz and not 440 Hz" without a sound card. Reusable by any test
 * of the call bundle.
 */
public final class Goertzel {

    private Goertzel() {
    }

    /**
     * @return the amplitude (in sample units, as a sine of that amplitude would give) of {@code frequency}
     *         in {@code samples[offset, offset + length)}, measured through a Hann window so that a strong
     *         tone nearby does not leak into it
     */
    public static double amplitude(short[] samples, int offset, int length, int sampleRate, double frequency) {
        double w = 2 * Math.PI * frequency / sampleRate;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        double windowSum = 0;
        for (int i = 0; i < length; i++) {
            double window = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (length - 1));
            windowSum += window;
            double s0 = samples[offset + i] * window + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * Math.sqrt(Math.max(0, power)) / windowSum;
    }

    /** @return the amplitude of {@code frequency} over the whole array */
    public static double amplitude(short[] samples, int sampleRate, double frequency) {
        return amplitude(samples, 0, samples.length, sampleRate, frequency);
    }

    /**
     * The median of the amplitudes of {@code frequency} in consecutive 100 ms blocks: a glitch (a frame
     * concealed or dropped by a jitter buffer, which shifts the phase) spoils one block, not the measure.
     */
    public static double blockAmplitude(short[] samples, int sampleRate, double frequency) {
        int block = sampleRate / 10;
        int blocks = samples.length / block;
        if (blocks == 0) {
            return amplitude(samples, sampleRate, frequency);
        }
        double[] amplitudes = new double[blocks];
        for (int i = 0; i < blocks; i++) {
            amplitudes[i] = amplitude(samples, i * block, block, sampleRate, frequency);
        }
        java.util.Arrays.sort(amplitudes);
        return amplitudes[blocks / 2];
    }

    /** @return the root mean square of the samples */
    public static double rms(short[] samples) {
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / Math.max(1, samples.length));
    }

    /**
     * @return a description such as {@code "440 Hz: 7,950; 1000 Hz: 12; rms 5,600"} for assertion messages
     */
    public static String describe(short[] samples, int sampleRate, double... frequencies) {
        StringBuilder text = new StringBuilder();
        for (double f : frequencies) {
            text.append(String.format("%.0f Hz: %.0f (blocks %.0f); ", f, amplitude(samples, sampleRate, f),
                    blockAmplitude(samples, sampleRate, f)));
        }
        return text.append(String.format("rms %.0f", rms(samples))).toString();
    }
}
