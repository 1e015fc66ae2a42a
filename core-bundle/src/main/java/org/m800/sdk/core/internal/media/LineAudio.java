package org.m800.sdk.core.internal.media;

import java.util.Arrays;

import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/**
 * A microphone and a speaker as a source and a sink that never block the media thread: the line's own
 * buffer (200 ms) absorbs the device's pace; a frame is read only when it is all there (else silence) and
 * written only when there is room (else dropped).
 */
final class LineAudio {

    private LineAudio() {
    }

    static AudioSource source(TargetDataLine line, int rate) {
        return new AudioSource() {
            private final byte[] bytes = new byte[rate / 50 * 2];

            @Override
            public int sampleRate() {
                return rate;
            }

            @Override
            public boolean read(short[] frame) {
                if (line.available() < bytes.length) {
                    Arrays.fill(frame, (short) 0);
                    return true;
                }
                int n = line.read(bytes, 0, bytes.length);
                for (int i = 0; i < frame.length; i++) {
                    frame[i] = 2 * i + 1 < n ? (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8)) : 0;
                }
                return true;
            }

            @Override
            public void close() {
                line.stop();
                line.close();
            }
        };
    }

    static AudioSink sink(SourceDataLine line, int rate) {
        return new AudioSink() {
            private final byte[] bytes = new byte[rate / 50 * 2];

            @Override
            public int sampleRate() {
                return rate;
            }

            @Override
            public void write(short[] frame) {
                if (line.available() < bytes.length) {
                    return;
                }
                for (int i = 0; i < frame.length; i++) {
                    bytes[2 * i] = (byte) frame[i];
                    bytes[2 * i + 1] = (byte) (frame[i] >> 8);
                }
                line.write(bytes, 0, bytes.length);
            }

            @Override
            public void close() {
                line.stop();
                line.close();
            }
        };
    }
}
