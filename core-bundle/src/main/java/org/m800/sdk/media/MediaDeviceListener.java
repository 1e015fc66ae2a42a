package org.m800.sdk.media;

import java.util.List;

/**
 * Hears the machine's sound devices come and go ({@link MediaManager#addListener}).
 *
 * <p>Called on the client's event threads, in order, never while the SDK holds a lock; a listener that
 * throws is logged and the others are still called. Must not block.
 *
 * @since 1.1
 */
@FunctionalInterface
public interface MediaDeviceListener {

    /**
     * The device list changed.
     *
     * @param devices the sound devices now, capture devices first; never {@code null}, empty when the
     *        JVM has none
     */
    void devicesChanged(List<AudioDevice> devices);
}
