package org.m800.sdk.core.internal.media;

import java.util.Arrays;

import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/** Silence, and a sink that discards: the defaults of a machine without sound. */
final class SilenceSource implements AudioSource, AudioSink {

    private final int rate;

    SilenceSource(int rate) {
        this.rate = rate;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public boolean read(short[] frame) {
        Arrays.fill(frame, (short) 0);
        return true;
    }

    @Override
    public void write(short[] frame) {
        // discarded
    }

    @Override
    public void close() {
    }
}
