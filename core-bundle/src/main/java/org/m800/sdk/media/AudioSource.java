package org.m800.sdk.media;

/**
 * Where a call's outgoing audio comes from: 16-bit signed mono PCM, read 20 ms at a time.
 *
 * <p>Threading: {@link #read(short[])} is called by the SDK's media thread every 20 ms while a call
 * sends audio; an implementation returns within a few milliseconds and never waits for the network
 * or the disk on that thread. {@link #close()} may be called from any thread.
 */
public interface AudioSource extends AutoCloseable {

    /** @return samples per second of the frames this source gives: 8000, 16000 or 48000 */
    int sampleRate();

    /**
     * Fills {@code frame} with the next 20 ms of audio.
     *
     * @param frame an array of exactly {@code sampleRate() / 50} samples, overwritten
     * @return {@code false} when the source has no more audio (the frame is then silence)
     */
    boolean read(short[] frame);

    /** Releases what the source holds (a device, a file). Idempotent. */
    @Override
    default void close() {
    }
}
