package org.m800.sdk.media;

/**
 * A source with a mute switch and a level meter, made by {@link MediaManager#meter(AudioSource)}. Muted, it
 * gives silence and the stream goes on. Thread-safe: the meter and the switch may be used from any thread
 * while the media thread reads.
 */
public interface MeteredSource extends AudioSource {

    /** Mutes or unmutes. */
    void setMuted(boolean muted);

    /** @return whether it is muted */
    boolean isMuted();

    /**
     * @return the level of the last 20 ms read, as the root mean square relative to full scale, 0..1 (before
     *         muting: a meter shows that the user speaks while muted)
     */
    float level();

    /** @return the largest absolute sample of the last 20 ms read, relative to full scale, 0..1 */
    float peak();
}
