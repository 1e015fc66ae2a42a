package org.m800.sdk.media;

/**
 * A sound device of the machine, as {@code javax.sound.sampled} lists it: a microphone (or line in) to
 * capture from, or a speaker (or line out) to play to.
 *
 * @param id        a stable key for this device within the JVM (the mixer's name and direction)
 * @param name      the name the system gives the device, for a user to choose from
 * @param direction whether it captures or plays
 * @since 1.0
 */
public record AudioDevice(String id, String name, Direction direction) {

    /** What a device does. */
    public enum Direction {
        /** A microphone or line in: an {@link AudioSource}. */
        CAPTURE,
        /** A speaker or line out: an {@link AudioSink}. */
        PLAYBACK
    }
}
