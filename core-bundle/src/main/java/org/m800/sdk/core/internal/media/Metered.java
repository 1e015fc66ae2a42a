package org.m800.sdk.core.internal.media;

import java.util.Arrays;

import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MeteredSink;
import org.m800.sdk.media.MeteredSource;

/** Mute switches and level meters around a source or a sink. */
final class Metered {

    private Metered() {
    }

    static MeteredSource source(AudioSource source) {
        return new Source(source);
    }

    static MeteredSink sink(AudioSink sink) {
        return new Sink(sink);
    }

    /** The mute switch and the meter that a metered source and a metered sink share. */
    private abstract static class Meter {
        volatile boolean muted;
        private volatile float level;
        private volatile float peak;

        void measure(short[] frame) {
            float[] levels = Rates.levels(frame);
            level = levels[0];
            peak = levels[1];
        }

        /** @see MeteredSource#setMuted(boolean) */
        public void setMuted(boolean mute) {
            muted = mute;
        }

        /** @see MeteredSource#isMuted() */
        public boolean isMuted() {
            return muted;
        }

        /** @see MeteredSource#level() */
        public float level() {
            return level;
        }

        /** @see MeteredSource#peak() */
        public float peak() {
            return peak;
        }
    }

    private static final class Source extends Meter implements MeteredSource {
        private final AudioSource source;

        Source(AudioSource source) {
            this.source = java.util.Objects.requireNonNull(source, "source");
        }

        @Override
        public int sampleRate() {
            return source.sampleRate();
        }

        @Override
        public boolean read(short[] frame) {
            boolean more = source.read(frame);
            measure(frame);
            if (muted) {
                Arrays.fill(frame, (short) 0);
            }
            return more;
        }

        @Override
        public void close() {
            source.close();
        }
    }

    private static final class Sink extends Meter implements MeteredSink {
        private final AudioSink sink;
        private short[] silence = new short[0];

        Sink(AudioSink sink) {
            this.sink = java.util.Objects.requireNonNull(sink, "sink");
        }

        @Override
        public int sampleRate() {
            return sink.sampleRate();
        }

        @Override
        public void write(short[] frame) {
            measure(frame);
            if (muted) {
                if (silence.length != frame.length) {
                    silence = new short[frame.length];
                }
                sink.write(silence);
            } else {
                sink.write(frame);
            }
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
