package org.m800.sdk.core.internal.media;

import java.io.IOException;
import java.nio.file.Path;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import org.m800.sdk.core.M800Exception;
import org.m800.sdk.media.AudioSource;

/**
 * A WAV file read whole into memory when it is opened (so the media thread never reads the disk), converted
 * by the JDK to 16-bit PCM, mixed to mono and brought to 8, 16 or 48 kHz by linear interpolation.
 */
final class WavFileSource implements AudioSource {

    private static final long MAX_SECONDS = 600;

    private final short[] samples;
    private final int rate;
    private final boolean loop;
    private int position;

    WavFileSource(Path file, boolean loop) {
        this.loop = loop;
        if (file == null) {
            throw M800Exception.invalidArgument("no WAV file given");
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat format = in.getFormat();
            int channels = format.getChannels();
            float fileRate = format.getSampleRate();
            if (in.getFrameLength() > fileRate * MAX_SECONDS) {
                throw M800Exception.invalidArgument(file + " is longer than " + MAX_SECONDS / 60 + " minutes");
            }
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, fileRate, 16, channels, 2 * channels,
                    fileRate, false);
            byte[] bytes;
            try (AudioInputStream converted = AudioSystem.getAudioInputStream(pcm, in)) {
                bytes = converted.readAllBytes();
            }
            int frames = bytes.length / (2 * channels);
            short[] mono = new short[frames];
            for (int f = 0; f < frames; f++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    int at = 2 * (f * channels + c);
                    sum += (short) ((bytes[at] & 0xFF) | (bytes[at + 1] << 8));
                }
                mono[f] = (short) (sum / channels);
            }
            rate = fileRate <= 8000 ? 8000 : fileRate <= 16000 ? 16000 : 48000;
            samples = resample(mono, fileRate, rate);
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw M800Exception.invalidArgument(file + " is not a PCM WAV file the JDK can read: " + e.getMessage());
        } catch (IOException e) {
            throw new M800Exception(org.m800.sdk.core.ErrorCode.INVALID_ARGUMENT, "cannot read " + file + ": " + e, e);
        }
    }

    private static short[] resample(short[] in, float from, int to) {
        if (Math.round(from) == to || in.length == 0) {
            return in;
        }
        int n = (int) ((long) in.length * to / (long) from);
        short[] out = new short[n];
        double step = from / to;
        for (int i = 0; i < n; i++) {
            double pos = i * step;
            int k = (int) pos;
            double frac = pos - k;
            int next = Math.min(k + 1, in.length - 1);
            out[i] = (short) Math.round(in[k] * (1 - frac) + in[next] * frac);
        }
        return out;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public synchronized boolean read(short[] frame) {
        int filled = 0;
        while (filled < frame.length) {
            if (position >= samples.length) {
                if (!loop || samples.length == 0) {
                    java.util.Arrays.fill(frame, filled, frame.length, (short) 0);
                    return filled > 0;
                }
                position = 0;
            }
            int n = Math.min(frame.length - filled, samples.length - position);
            System.arraycopy(samples, position, frame, filled, n);
            position += n;
            filled += n;
        }
        return true;
    }
}
