package org.m800.sdk.core.internal.media;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.media.AudioDevice;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MediaManager;
import org.m800.sdk.media.MeteredSink;
import org.m800.sdk.media.MeteredSource;
import org.m800.sdk.media.PullAudioSink;
import org.m800.sdk.media.PushAudioSource;

/** The SDK's MediaManager without a sound card: tones, WAV files, pushed and pulled PCM, meters, devices. */
public class MediaServiceTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private ExecutorService events;
    private ExecutorService disk;
    private ScheduledExecutorService scheduler;
    private MediaService media;

    @Before
    public void start() {
        events = Executors.newSingleThreadExecutor();
        disk = Executors.newSingleThreadExecutor();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        media = new MediaService(events, disk, scheduler);
    }

    @After
    public void stop() throws InterruptedException {
        media.close();
        for (ExecutorService e : new ExecutorService[] {events, disk, scheduler}) {
            e.shutdownNow();
            assertTrue(e.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    /** Amplitude of one frequency (Goertzel, no window: whole periods in these tests). */
    static double amplitude(short[] s, int rate, double f) {
        double coeff = 2 * Math.cos(2 * Math.PI * f / rate);
        double s1 = 0;
        double s2 = 0;
        for (short x : s) {
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return 2 * Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - coeff * s1 * s2)) / s.length;
    }

    @Test
    public void aToneIsItsFrequencyAndAmplitudeAcrossFrames() {
        AudioSource tone = media.toneSource(8000, 1000, 0.5);
        short[] all = new short[8000];
        short[] frame = new short[160];
        for (int f = 0; f < 50; f++) {
            assertTrue(tone.read(frame));
            System.arraycopy(frame, 0, all, f * 160, 160);
        }
        assertEquals(16383, amplitude(all, 8000, 1000), 100);
        assertTrue(amplitude(all, 8000, 440) < 100);
        M800Exception bad = assertThrows(M800Exception.class, () -> media.toneSource(8000, 5000, 0.5));
        assertEquals(ErrorCode.INVALID_ARGUMENT, bad.code());
        assertTrue(bad.getMessage(), bad.getMessage().contains("5000"));
        assertThrows(M800Exception.class, () -> media.toneSource(44100, 440, 0.5));
    }

    @Test
    public void aWavSinkWritesAFileTheJdkAndTheWavSourceReadBack() throws Exception {
        Path file = folder.getRoot().toPath().resolve("tone.wav");
        AudioSink sink = media.wavSink(file, 16000);
        AudioSource tone = media.toneSource(16000, 440, 0.25);
        short[] frame = new short[320];
        for (int f = 0; f < 150; f++) { // 3 s, across the sink's one-second batches
            tone.read(frame);
            sink.write(frame);
        }
        sink.close();
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat format = in.getFormat();
            assertEquals(16000, format.getSampleRate(), 0);
            assertEquals(1, format.getChannels());
            assertEquals(48000, in.getFrameLength());
        }
        AudioSource back = media.wavSource(file, false);
        assertEquals(16000, back.sampleRate());
        short[] all = new short[48000];
        for (int f = 0; f < 150; f++) {
            assertTrue(back.read(frame));
            System.arraycopy(frame, 0, all, f * 320, 320);
        }
        assertFalse("played out", back.read(frame));
        assertEquals(8192, amplitude(all, 16000, 440), 100);
    }

    @Test
    public void aWavSourceConvertsStereo44kTo48kMonoAndLoops() throws Exception {
        File file = folder.newFile("stereo.wav");
        int frames = 44100 / 10; // 100 ms
        byte[] pcm = new byte[frames * 4];
        for (int i = 0; i < frames; i++) {
            short v = (short) Math.round(10000 * Math.sin(2 * Math.PI * 1000 * i / 44100.0));
            for (int c = 0; c < 2; c++) {
                pcm[4 * i + 2 * c] = (byte) v;
                pcm[4 * i + 2 * c + 1] = (byte) (v >> 8);
            }
        }
        AudioFormat format = new AudioFormat(44100, 16, 2, true, false);
        AudioSystem.write(new AudioInputStream(new java.io.ByteArrayInputStream(pcm), format, frames),
                javax.sound.sampled.AudioFileFormat.Type.WAVE, file);
        AudioSource source = media.wavSource(file.toPath(), true);
        assertEquals(48000, source.sampleRate());
        short[] frame = new short[960];
        for (int f = 0; f < 20; f++) {
            assertTrue("a looping source never ends", source.read(frame));
        }
        assertEquals(10000, amplitude(frame, 48000, 1000), 1500);
        M800Exception notWav = assertThrows(M800Exception.class,
                () -> media.wavSource(Files.writeString(folder.getRoot().toPath().resolve("x.wav"), "not audio"), false));
        assertEquals(ErrorCode.INVALID_ARGUMENT, notWav.code());
    }

    @Test
    public void pushedAudioIsReadInFramesAndSilenceWhenEmpty() {
        PushAudioSource push = media.pushSource(8000, 100);
        short[] samples = new short[1000];
        java.util.Arrays.fill(samples, (short) 7);
        assertEquals("100 ms at 8 kHz fit", 800, push.push(samples, 0, samples.length));
        assertEquals(100, push.queuedMillis());
        short[] frame = new short[160];
        for (int f = 0; f < 5; f++) {
            assertTrue(push.read(frame));
            assertEquals(7, frame[159]);
        }
        assertTrue(push.read(frame));
        assertEquals("silence when empty", 0, frame[0]);
        push.push(samples, 0, 80);
        push.finish();
        assertTrue(push.read(frame));
        assertEquals(7, frame[79]);
        assertEquals(0, frame[80]);
        assertFalse("finished and empty", push.read(frame));
    }

    @Test
    public void pulledAudioWaitsDropsTheOldestAndEndsWhenClosed() throws Exception {
        PullAudioSink pull = media.pullSink(8000, 40);
        short[] into = new short[1000];
        assertEquals(0, pull.pull(into, 0, into.length, 10, TimeUnit.MILLISECONDS));
        short[] frame = new short[160];
        for (short f = 1; f <= 3; f++) {
            java.util.Arrays.fill(frame, f);
            pull.write(frame);
        }
        assertEquals(160, pull.dropped());
        assertEquals(320, pull.pull(into, 0, into.length, 1, TimeUnit.SECONDS));
        assertEquals("the oldest frame was dropped", 2, into[0]);
        pull.close();
        assertEquals(-1, pull.pull(into, 0, into.length, 1, TimeUnit.SECONDS));
    }

    @Test
    public void metersMeasureAndMute() {
        MeteredSource source = media.meter(media.toneSource(8000, 400, 0.5));
        short[] frame = new short[160];
        source.read(frame);
        assertEquals(0.5 / Math.sqrt(2), source.level(), 0.02);
        assertEquals(0.5, source.peak(), 0.02);
        source.setMuted(true);
        source.read(frame);
        assertEquals(0, frame[10]);
        assertEquals("the meter still shows the voice while muted", 0.35, source.level(), 0.02);

        PullAudioSink pull = media.pullSink(8000, 100);
        MeteredSink sink = media.meter(pull);
        java.util.Arrays.fill(frame, (short) 16384);
        sink.setMuted(true);
        sink.write(frame);
        assertEquals(0.5, sink.level(), 0.01);
        short[] out = new short[160];
        try {
            assertEquals(160, pull.pull(out, 0, 160, 1, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(0, out[0]);
    }

    @Test
    public void devicesAreListedAndTheDefaultsWorkWithoutASoundCard() {
        for (AudioDevice device : media.devices()) {
            assertNotNull(device.name());
        }
        AudioSource source = media.defaultSource();
        AudioSink sink = media.defaultSink();
        short[] frame = new short[source.sampleRate() / 50];
        source.read(frame);
        sink.write(new short[sink.sampleRate() / 50]);
        source.close();
        sink.close();
        M800Exception wrong = assertThrows(M800Exception.class, () -> media.openSource(
                new AudioDevice("playback:none", "none", AudioDevice.Direction.PLAYBACK), 16000));
        assertEquals(ErrorCode.INVALID_ARGUMENT, wrong.code());
        M800Exception gone = assertThrows(M800Exception.class, () -> media.openSource(
                new AudioDevice("capture:none", "no such device", AudioDevice.Direction.CAPTURE), 16000));
        assertEquals(ErrorCode.NOT_FOUND, gone.code());
        org.m800.sdk.core.Subscription devices = media.addListener(list -> { });
        media.pollNow(); // no change, no event: nothing to assert beyond not failing on a headless machine
        devices.close();
        assertThrows(NullPointerException.class, () -> media.addListener(null));
    }

    @Test
    public void aMinimalOverrideGetsClearErrorsFromTheDefaults() {
        MediaManager minimal = new MediaManager() {
            @Override
            public AudioSource defaultSource() {
                return new SilenceSource(8000);
            }

            @Override
            public AudioSink defaultSink() {
                return new SilenceSource(8000);
            }
        };
        assertEquals(java.util.List.of(), minimal.devices());
        M800Exception e = assertThrows(M800Exception.class, () -> minimal.toneSource(8000, 440, 0.5));
        assertEquals(ErrorCode.FEATURE_UNAVAILABLE, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("tones"));
    }
}
