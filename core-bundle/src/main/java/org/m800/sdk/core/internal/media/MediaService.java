package org.m800.sdk.core.internal.media;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.media.AudioDevice;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MediaDeviceListener;
import org.m800.sdk.media.MediaManager;
import org.m800.sdk.media.MeteredSink;
import org.m800.sdk.media.MeteredSource;
import org.m800.sdk.media.PullAudioSink;
import org.m800.sdk.media.PushAudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's {@link MediaManager}: sound devices through {@code javax.sound.sampled} (listed on the disk
 * thread every 3 s while someone listens for changes, since the sound system may read the disk), WAV files,
 * tones, pushed and pulled PCM, meters.
 */
public final class MediaService implements MediaManager, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaService.class);
    private static final long POLL_SECONDS = 3;
    private static final int DEFAULT_RATE = 16000;

    private final Executor disk;
    private final ScheduledExecutorService scheduler;
    private final ListenerList<Consumer<List<AudioDevice>>> listeners;
    private volatile List<AudioDevice> devices;
    private ScheduledFuture<?> poll;
    private boolean closed;

    /** Lists the devices once, on the caller's thread (the module is built once per client). */
    public MediaService(ModuleContext context) {
        this(context.eventExecutor(), context.diskExecutor(), context.scheduler());
    }

    MediaService(Executor events, Executor disk, ScheduledExecutorService scheduler) {
        this.listeners = new ListenerList<>(events, "device listener");
        this.disk = disk;
        this.scheduler = scheduler;
        this.devices = SoundDevices.list();
    }

    @Override
    public AudioSource defaultSource() {
        for (AudioDevice device : devices) {
            if (device.direction() == AudioDevice.Direction.CAPTURE) {
                try {
                    return openSource(device, DEFAULT_RATE);
                } catch (M800Exception e) {
                    LOG.debug("the microphone {} cannot be opened: {}", device.name(), e.getMessage());
                }
            }
        }
        return new SilenceSource(DEFAULT_RATE);
    }

    @Override
    public AudioSink defaultSink() {
        for (AudioDevice device : devices) {
            if (device.direction() == AudioDevice.Direction.PLAYBACK) {
                try {
                    return openSink(device, DEFAULT_RATE);
                } catch (M800Exception e) {
                    LOG.debug("the speaker {} cannot be opened: {}", device.name(), e.getMessage());
                }
            }
        }
        return new SilenceSource(DEFAULT_RATE);
    }

    @Override
    public List<AudioDevice> devices() {
        return devices;
    }

    @Override
    public Subscription addListener(MediaDeviceListener listener) {
        Objects.requireNonNull(listener, "listener");
        return subscribe(listener::devicesChanged);
    }

    @Override
    @Deprecated(since = "1.1")
    public Subscription onDevicesChanged(Consumer<List<AudioDevice>> listener) {
        Objects.requireNonNull(listener, "listener");
        return subscribe(listener);
    }

    private Subscription subscribe(Consumer<List<AudioDevice>> listener) {
        Subscription subscription = listeners.add(listener);
        synchronized (this) {
            if (poll == null && !closed) {
                poll = scheduler.scheduleWithFixedDelay(this::pollSoon, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
            }
        }
        return subscription;
    }

    private void pollSoon() {
        try {
            disk.execute(this::pollNow);
        } catch (RejectedExecutionException e) {
            // the SDK is stopping
        }
    }

    /** Lists the devices again and tells the listeners if the list changed. */
    void pollNow() {
        List<AudioDevice> now = SoundDevices.list();
        if (now.equals(devices)) {
            return;
        }
        devices = now;
        listeners.emit(l -> l.accept(now));
    }

    @Override
    public AudioSource openSource(AudioDevice device, int sampleRate) {
        return LineAudio.source(SoundDevices.openCapture(device, Rates.check(sampleRate)), sampleRate);
    }

    @Override
    public AudioSink openSink(AudioDevice device, int sampleRate) {
        return LineAudio.sink(SoundDevices.openPlayback(device, Rates.check(sampleRate)), sampleRate);
    }

    @Override
    public AudioSource wavSource(Path file, boolean loop) {
        return new WavFileSource(file, loop);
    }

    @Override
    public AudioSink wavSink(Path file, int sampleRate) {
        return new WavFileSink(file, sampleRate, disk);
    }

    @Override
    public AudioSource toneSource(int sampleRate, double frequencyHz, double amplitude) {
        return new ToneSource(sampleRate, frequencyHz, amplitude);
    }

    @Override
    public PushAudioSource pushSource(int sampleRate, int capacityMillis) {
        return new PcmQueue(sampleRate, capacityMillis);
    }

    @Override
    public PullAudioSink pullSink(int sampleRate, int capacityMillis) {
        return new PcmQueue(sampleRate, capacityMillis);
    }

    @Override
    public MeteredSource meter(AudioSource source) {
        if (source == null) {
            throw M800Exception.invalidArgument("no source given");
        }
        return Metered.source(source);
    }

    @Override
    public MeteredSink meter(AudioSink sink) {
        if (sink == null) {
            throw M800Exception.invalidArgument("no sink given");
        }
        return Metered.sink(sink);
    }

    @Override
    public synchronized void close() {
        closed = true;
        listeners.clear();
        if (poll != null) {
            poll.cancel(false);
        }
    }
}
