package org.m800.sdk.core.internal.media;

import org.m800.sdk.core.M800Exception;

/** The sample rates sources and sinks use. */
final class Rates {

    private Rates() {
    }

    static int check(int sampleRate) {
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 48000) {
            throw M800Exception.invalidArgument("sample rate " + sampleRate + " Hz is not one of 8000, 16000, 48000");
        }
        return sampleRate;
    }

    static int checkCapacity(int capacityMillis) {
        if (capacityMillis < 20 || capacityMillis > 60_000) {
            throw M800Exception.invalidArgument("capacity " + capacityMillis + " ms is not within 20..60000 ms");
        }
        return capacityMillis;
    }

    /** RMS and peak of a frame relative to full scale. */
    static float[] levels(short[] frame) {
        double sum = 0;
        int peak = 0;
        for (short s : frame) {
            sum += (double) s * s;
            peak = Math.max(peak, Math.abs((int) s));
        }
        return new float[] {(float) (Math.sqrt(sum / Math.max(1, frame.length)) / 32768.0), peak / 32768f};
    }
}
