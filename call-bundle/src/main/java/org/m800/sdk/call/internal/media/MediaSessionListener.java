package org.m800.sdk.call.internal.media;

/** What a {@link MediaSession} tells its call. Called on the engine's thread: be quick, never block. */
public interface MediaSessionListener {

    /** An RFC 4733 telephone-event ended (one call per key press). */
    default void dtmfReceived(char digit) {
    }

    /** No RTP or RTCP arrived for the media timeout (20 s) while the leg expects to receive. */
    default void mediaTimeout() {
    }

    /** New statistics after an RTCP report was sent or received. */
    default void statistics(MediaStats stats) {
    }
}
