package org.m800.sdk.call.internal;

import java.io.IOException;

import org.m800.sdk.call.internal.media.MediaEngine;

/** Makes the media engine of a {@link CallManagerImpl}, when its first call needs one. */
@FunctionalInterface
public interface EngineFactory {
    /** @throws IOException if the engine cannot start */
    MediaEngine create() throws IOException;
}
