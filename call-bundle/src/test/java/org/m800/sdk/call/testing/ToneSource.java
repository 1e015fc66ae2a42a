package org.m800.sdk.call.testing;

import org.m800.sdk.media.AudioSource;

/** A test source: a sine of one frequency and amplitude, endless. */
public final class ToneSource implements AudioSource {

    private final int rate;
    private final double frequency;
    private final double amplitude;
    private long n;

    public ToneSource(int rate, double frequency, double amplitude) {
        this.rate = rate;
        this.frequency = frequency;
        this.amplitude = amplitude;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public synchronized boolean read(short[] frame) {
        for (int i = 0; i < frame.length; i++, n++) {
            frame[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * n / rate));
        }
        return true;
    }
}
