package org.m800.sdk.media;

/**
 * A source the application feeds: a bot, an IVR, a bridge to another system pushes PCM of any length and
 * the call sends it 20 ms at a time. Made by {@link MediaManager#pushSource(int, int)}. When nothing is
 * queued the call sends silence; what does not fit in the queue is refused, not blocked on. Thread-safe:
 * one application thread pushes while the media thread reads.
 */
public interface PushAudioSource extends AudioSource {

    /**
     * Queues samples at {@link #sampleRate()}.
     *
     * @return how many were queued: all of them, or fewer when the queue is full
     */
    int push(short[] samples, int offset, int length);

    /** @return milliseconds of audio queued and not yet read */
    int queuedMillis();

    /**
     * Says that no more audio will come: once the queue is read out, {@link #read(short[])} returns
     * {@code false}.
     */
    void finish();
}
