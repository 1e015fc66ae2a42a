package org.m800.sdk.core.internal.media;

import org.m800.sdk.core.M800Exception;
import org.m800.sdk.media.AudioSource;

/** A sine, endless; the phase runs on across frames so the tone has no clicks. */
final class ToneSource implements AudioSource {

    private final int rate;
    private final double step;
    private final double amplitude;
    private double phase;

    ToneSource(int rate, double frequencyHz, double amplitude) {
        this.rate = Rates.check(rate);
        if (!(frequencyHz > 0 && frequencyHz < rate / 2.0)) {
            throw M800Exception.invalidArgument("tone frequency " + frequencyHz + " Hz is not within 0.."
                    + rate / 2 + " Hz (half the sample rate)");
        }
        if (!(amplitude >= 0 && amplitude <= 1)) {
            throw M800Exception.invalidArgument("tone amplitude " + amplitude + " is not within 0..1");
        }
        this.step = 2 * Math.PI * frequencyHz / rate;
        this.amplitude = amplitude * 32767;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public synchronized boolean read(short[] frame) {
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) Math.round(amplitude * Math.sin(phase));
            phase += step;
        }
        phase %= 2 * Math.PI;
        return true;
    }
}
