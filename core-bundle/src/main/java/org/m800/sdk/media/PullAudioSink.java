package org.m800.sdk.media;

import java.util.concurrent.TimeUnit;

/**
 * A sink the application drains: what a call receives is queued and an application thread pulls it (speech
 * recognition, recording, a bridge). Made by {@link MediaManager#pullSink(int, int)}. When the queue is full
 * the oldest audio is dropped, so the media thread never waits. Thread-safe.
 */
public interface PullAudioSink extends AudioSink {

    /**
     * Takes queued samples, waiting up to {@code timeout} for at least one.
     *
     * @return how many samples were copied into {@code into}; 0 if none came in time; -1 once the sink is
     *         closed and empty
     * @throws InterruptedException if the waiting thread is interrupted
     */
    int pull(short[] into, int offset, int length, long timeout, TimeUnit unit) throws InterruptedException;

    /** @return samples dropped so far because the application did not pull in time */
    long dropped();
}
