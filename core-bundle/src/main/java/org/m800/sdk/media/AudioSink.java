package org.m800.sdk.media;

/**
 * Where a call's incoming audio goes: 16-bit signed mono PCM, written 20 ms at a time, after the
 * jitter buffer and loss concealment.
 *
 * <p>Threading: {@link #write(short[])} is called by the SDK's media thread every 20 ms while a call
 * receives audio; an implementation returns within a few milliseconds. {@link #close()} may be called
 * from any thread.
 */
public interface AudioSink extends AutoCloseable {

    /** @return samples per second of the frames this sink takes: 8000, 16000 or 48000 */
    int sampleRate();

    /**
     * Takes the next 20 ms of audio.
     *
     * @param frame exactly {@code sampleRate() / 50} samples; only valid during the call
     */
    void write(short[] frame);

    /** Releases what the sink holds (a device, a file). Idempotent. */
    @Override
    default void close() {
    }
}
