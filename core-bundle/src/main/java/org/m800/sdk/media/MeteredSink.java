package org.m800.sdk.media;

/**
 * A sink with a mute switch and a level meter, made by {@link MediaManager#meter(AudioSink)}. Muted, it
 * passes silence on. Thread-safe.
 */
public interface MeteredSink extends AudioSink {

    /** Mutes or unmutes what is played. */
    void setMuted(boolean muted);

    /** @return whether it is muted */
    boolean isMuted();

    /** @return the level of the last 20 ms written (before muting), RMS relative to full scale, 0..1 */
    float level();

    /** @return the largest absolute sample of the last 20 ms written, relative to full scale, 0..1 */
    float peak();
}
