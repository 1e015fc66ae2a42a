package org.m800.sdk.core.internal.media;

import java.util.ArrayList;
import java.util.List;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.media.AudioDevice;

/**
 * The machine's sound devices through {@code javax.sound.sampled}: every mixer that can give a
 * {@link TargetDataLine} (capture) or a {@link SourceDataLine} (playback) of 16-bit mono PCM. A headless
 * machine, or a JVM without sound providers, has none; any error of the sound system counts as none.
 */
final class SoundDevices {

    private SoundDevices() {
    }

    static List<AudioDevice> list() {
        List<AudioDevice> capture = new ArrayList<>();
        List<AudioDevice> playback = new ArrayList<>();
        try {
            for (Mixer.Info info : AudioSystem.getMixerInfo()) {
                Mixer mixer = AudioSystem.getMixer(info);
                if (mixer.isLineSupported(lineInfo(TargetDataLine.class, 16000))) {
                    capture.add(new AudioDevice("capture:" + info.getName(), info.getName(), AudioDevice.Direction.CAPTURE));
                }
                if (mixer.isLineSupported(lineInfo(SourceDataLine.class, 16000))) {
                    playback.add(new AudioDevice("playback:" + info.getName(), info.getName(), AudioDevice.Direction.PLAYBACK));
                }
            }
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
        capture.addAll(playback);
        return List.copyOf(capture);
    }

    static AudioFormat format(int rate) {
        return new AudioFormat(rate, 16, 1, true, false);
    }

    private static DataLine.Info lineInfo(Class<?> type, int rate) {
        return new DataLine.Info(type, format(rate));
    }

    static TargetDataLine openCapture(AudioDevice device, int rate) {
        return (TargetDataLine) open(device, AudioDevice.Direction.CAPTURE, TargetDataLine.class, rate);
    }

    static SourceDataLine openPlayback(AudioDevice device, int rate) {
        return (SourceDataLine) open(device, AudioDevice.Direction.PLAYBACK, SourceDataLine.class, rate);
    }

    private static DataLine open(AudioDevice device, AudioDevice.Direction direction, Class<?> type, int rate) {
        if (device == null || device.direction() != direction) {
            throw M800Exception.invalidArgument(device + " is not a " + direction.name().toLowerCase() + " device");
        }
        try {
            for (Mixer.Info info : AudioSystem.getMixerInfo()) {
                if (info.getName().equals(device.name())) {
                    DataLine line = (DataLine) AudioSystem.getMixer(info).getLine(lineInfo(type, rate));
                    int bufferBytes = rate / 50 * 2 * 10; // 200 ms
                    if (line instanceof TargetDataLine target) {
                        target.open(format(rate), bufferBytes);
                    } else {
                        ((SourceDataLine) line).open(format(rate), bufferBytes);
                    }
                    line.start();
                    return line;
                }
            }
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "cannot open " + device.name() + " at " + rate + " Hz: "
                    + e.getMessage(), e);
        }
        throw new M800Exception(ErrorCode.NOT_FOUND, "the sound device " + device.name() + " is gone");
    }
}
