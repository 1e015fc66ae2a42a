package org.m800.sdk.media;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Subscription;

/**
 * The module {@value #MODULE} of the {@code core} feature (deps {@code service.notification}): the audio
 * sources and sinks a client's calls use. Overridable by name, in code or by a higher-ranked bundle.
 *
 * <p>What it offers, as a service provider interface of sources and sinks:
 * <ul>
 * <li>the machine's sound devices through {@code javax.sound.sampled}, listed with their names, with an
 * event when the list changes; a machine without sound (a server, a container) lists none, and then
 * {@link #defaultSource()} is silence and {@link #defaultSink()} discards;</li>
 * <li>a WAV file source and a WAV file sink;</li>
 * <li>a tone generator;</li>
 * <li>PCM pushed and pulled by the application ({@link PushAudioSource}, {@link PullAudioSink}) for bots,
 * IVRs, bridges and tests;</li>
 * <li>mute and a level meter around any source or sink ({@link #meter(AudioSource)}).</li>
 * </ul>
 * An application may also implement {@link AudioSource} and {@link AudioSink} itself.
 *
 * <p>Only {@link #defaultSource()} and {@link #defaultSink()} must be implemented by an override; the other
 * methods have defaults: no devices, and {@link ErrorCode#FEATURE_UNAVAILABLE} for the rest, which the
 * SDK's own implementation provides.
 *
 * <p>Errors: bad arguments throw {@link M800Exception} with {@link ErrorCode#INVALID_ARGUMENT} saying what is
 * wrong; a device that cannot be opened or a file that cannot be read or written,
 * {@link ErrorCode#NOT_FOUND} or {@link ErrorCode#INVALID_ARGUMENT} with the reason. Nothing here is
 * asynchronous. Thread-safe.
 */
public interface MediaManager {

    /** The module name. */
    String MODULE = "media";

    /**
     * @return the source a call uses when the application gives none: the system microphone when the
     *         JVM has one, otherwise silence; never {@code null}
     */
    AudioSource defaultSource();

    /**
     * @return the sink a call uses when the application gives none: the system speaker when the JVM
     *         has one, otherwise a sink that discards; never {@code null}
     */
    AudioSink defaultSink();

    /**
     * @return the sound devices of the machine now, capture devices first; empty when the JVM has none
     * @since 1.0
     */
    default List<AudioDevice> devices() {
        return List.of();
    }

    /**
     * Tells {@code listener} the new device list whenever a device appears or goes (checked every few
     * seconds while someone listens), on the client's event threads: the SDK's one way to subscribe,
     * as in every other manager.
     *
     * @param listener not {@code null}
     * @return a handle that unsubscribes
     * @throws NullPointerException if {@code listener} is {@code null}
     * @since 1.1
     */
    default Subscription addListener(MediaDeviceListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        return onDevicesChanged(listener::devicesChanged);
    }

    /**
     * Tells {@code listener} the new device list whenever a device appears or goes (checked every few
     * seconds), on the client's event threads.
     *
     * @return a handle that unsubscribes
     * @since 1.0
     * @deprecated since 1.1: use {@link #addListener(MediaDeviceListener)}, the name every manager uses;
     *             this stays until the next major version. A provider of a {@code MediaManager}
     *             implements both (or this one alone: {@code addListener} calls it by default).
     */
    @Deprecated(since = "1.1")
    default Subscription onDevicesChanged(Consumer<List<AudioDevice>> listener) {
        return () -> { };
    }

    /**
     * Opens a capture device as a source. The device is read in the background; {@link AudioSource#read}
     * never waits for it (it gives silence when the device is late).
     *
     * @param sampleRate 8000, 16000 or 48000
     * @throws M800Exception NOT_FOUND if the device is gone or cannot capture at that rate; INVALID_ARGUMENT
     *         if it is not a capture device
     * @since 1.0
     */
    default AudioSource openSource(AudioDevice device, int sampleRate) {
        throw unavailable("sound devices");
    }

    /**
     * Opens a playback device as a sink. {@link AudioSink#write} never waits for it (a frame the device has
     * no room for is dropped).
     *
     * @param sampleRate 8000, 16000 or 48000
     * @throws M800Exception NOT_FOUND if the device is gone or cannot play at that rate; INVALID_ARGUMENT if
     *         it is not a playback device
     * @since 1.0
     */
    default AudioSink openSink(AudioDevice device, int sampleRate) {
        throw unavailable("sound devices");
    }

    /**
     * A source that plays a WAV file (PCM 8 or 16 bit, mono or stereo, any rate: converted to 16-bit mono at
     * a rate of 8000, 16000 or 48000 Hz, the nearest at or above the file's). The file is read when this
     * is called, on the caller's thread, so that the media thread never waits for the disk; keep it short
     * (a prompt, a test signal: at most 10 minutes).
     *
     * @param loop whether to start over at the end; otherwise {@link AudioSource#read} returns {@code false}
     *             once the file is played out
     * @throws M800Exception INVALID_ARGUMENT if the file cannot be read or is not a PCM WAV file
     * @since 1.0
     */
    default AudioSource wavSource(Path file, boolean loop) {
        throw unavailable("WAV files");
    }

    /**
     * A sink that writes what it is given to a WAV file (16-bit mono PCM at {@code sampleRate}). The disk is
     * written on the SDK's disk thread, never on the media thread; the file is complete once
     * {@link AudioSink#close()} returns.
     *
     * @param sampleRate 8000, 16000 or 48000
     * @throws M800Exception INVALID_ARGUMENT if the file cannot be created
     * @since 1.0
     */
    default AudioSink wavSink(Path file, int sampleRate) {
        throw unavailable("WAV files");
    }

    /**
     * A sine tone, endless.
     *
     * @param sampleRate  8000, 16000 or 48000
     * @param frequencyHz above 0 and below half the sample rate
     * @param amplitude   0..1 of full scale
     * @since 1.0
     */
    default AudioSource toneSource(int sampleRate, double frequencyHz, double amplitude) {
        throw unavailable("tones");
    }

    /**
     * A source the application pushes PCM into.
     *
     * @param sampleRate     8000, 16000 or 48000
     * @param capacityMillis how much audio it queues at most (20..60000)
     * @since 1.0
     */
    default PushAudioSource pushSource(int sampleRate, int capacityMillis) {
        throw unavailable("pushed audio");
    }

    /**
     * A sink the application pulls PCM from.
     *
     * @param sampleRate     8000, 16000 or 48000
     * @param capacityMillis how much audio it queues at most (20..60000); older audio is dropped
     * @since 1.0
     */
    default PullAudioSink pullSink(int sampleRate, int capacityMillis) {
        throw unavailable("pulled audio");
    }

    /**
     * @return {@code source} with a mute switch and a level meter; closing it closes {@code source}
     * @since 1.0
     */
    default MeteredSource meter(AudioSource source) {
        throw unavailable("meters");
    }

    /**
     * @return {@code sink} with a mute switch and a level meter; closing it closes {@code sink}
     * @since 1.0
     */
    default MeteredSink meter(AudioSink sink) {
        throw unavailable("meters");
    }

    private M800Exception unavailable(String what) {
        return new M800Exception(ErrorCode.FEATURE_UNAVAILABLE,
                "this MediaManager (" + getClass().getName() + ") does not provide " + what);
    }
}
