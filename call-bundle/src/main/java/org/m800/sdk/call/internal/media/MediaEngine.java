package org.m800.sdk.call.internal.media;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Makes {@link MediaSession}s and owns what they share (the media threads). One per
 * {@code CallManager} instance; closing it closes every session it made and stops its threads.
 */
public interface MediaEngine extends AutoCloseable {

    /**
     * Opens a leg: binds a UDP socket on a free port of {@code bindAddress} and makes a fresh SRTP key.
     *
     * @throws IOException if no socket can be bound
     */
    MediaSession open(InetAddress bindAddress) throws IOException;

    /** Closes every open session and stops the engine's threads. Idempotent. */
    @Override
    void close();
}
