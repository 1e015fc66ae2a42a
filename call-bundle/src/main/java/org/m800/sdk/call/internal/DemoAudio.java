package org.m800.sdk.call.internal;

import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/** The audio of the shell's call demo: a sine tone to send, and a sink that finds the loudest of some tones. */
final class DemoAudio {
    private DemoAudio() {
    }

    /** A continuous sine tone, 48 kHz. */
    static final class Tone implements AudioSource {
        private final double step;
        private double phase;

        Tone(double hz) {
            this.step = 2 * Math.PI * hz / 48_000;
        }

        @Override
        public int sampleRate() {
            return 48_000;
        }

        @Override
        public synchronized boolean read(short[] frame) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (short) (6_000 * Math.sin(phase));
                phase += step;
            }
            phase %= 2 * Math.PI;
            return true;
        }
    }

    /** Keeps the last second heard and tells which of the candidate tones is in it (Goertzel). */
    static final class Detector implements AudioSink {
        private final short[] last = new short[48_000];
        private int written;

        @Override
        public int sampleRate() {
            return 48_000;
        }

        @Override
        public synchronized void write(short[] frame) {
            System.arraycopy(last, frame.length, last, 0, last.length - frame.length);
            System.arraycopy(frame, 0, last, last.length - frame.length, frame.length);
            written += frame.length;
        }

        /** @return whether the last second holds this tone (amplitude above 1 000 of the demo's 6 000) */
        synchronized boolean hears(double hz) {
            return written >= last.length && amplitude(hz) > 1_000;
        }

        /** @return whether the last second is silent at these tones */
        synchronized boolean silentAt(double... tones) {
            if (written < last.length) {
                return false;
            }
            for (double hz : tones) {
                if (amplitude(hz) > 100) {
                    return false;
                }
            }
            return true;
        }

        /** @return e.g. {@code "1000 Hz (amplitude 5400; 440 Hz: 3)"}, "silence (...)", or "nothing yet" */
        synchronized String heard(double... candidates) {
            if (written < last.length) {
                return "nothing yet";
            }
            double best = -1;
            double bestHz = 0;
            StringBuilder others = new StringBuilder();
            for (double hz : candidates) {
                double a = amplitude(hz);
                if (a > best) {
                    if (best >= 0) {
                        others.append(String.format("; %.0f Hz: %.0f", bestHz, best));
                    }
                    best = a;
                    bestHz = hz;
                } else {
                    others.append(String.format("; %.0f Hz: %.0f", hz, a));
                }
            }
            if (best < 100) {
                return String.format("silence (%.0f Hz: %.0f%s)", bestHz, best, others);
            }
            return String.format("%.0f Hz (amplitude %.0f%s)", bestHz, best, others);
        }

        /** Goertzel's algorithm over the last second: the amplitude of one frequency. */
        private double amplitude(double hz) {
            double coefficient = 2 * Math.cos(2 * Math.PI * hz / 48_000);
            double s1 = 0;
            double s2 = 0;
            for (short sample : last) {
                double s = sample + coefficient * s1 - s2;
                s2 = s1;
                s1 = s;
            }
            double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
            return 2 * Math.sqrt(Math.max(power, 0)) / last.length;
        }
    }
}
