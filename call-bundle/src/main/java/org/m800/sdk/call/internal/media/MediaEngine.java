package org.m800.sdk.call.internal.media;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Makes {@link MediaSession}s and owns what they share (the media threads). One per
 * {@code CallManager} instance; closing it closes every session it made and stops its threads.
 */
public interface MediaEngine extends AutoCloseable {

    /**
     * @return a new engine with its threads started (see {@code engine.UdpMediaEngine})
     * @throws IOException if it cannot open its selector
     */
    static MediaEngine create(MediaEngineOptions options) throws IOException {
        return new org.m800.sdk.call.internal.media.engine.UdpMediaEngine(options);
    }

    /** @return a new engine with {@link MediaEngineOptions#DEFAULTS} */
    static MediaEngine create() throws IOException {
        return create(MediaEngineOptions.DEFAULTS);
    }

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
