package org.m800.sdk.file.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.apache.tika.Tika;

/**
 * Detects a content type from the bytes (Apache Tika's magic numbers), with the file name only as a
 * hint for formats whose bytes say nothing (plain text). Thread-safe.
 */
final class ContentTypes {

    /** Tika reads at most this many bytes of the start. */
    static final int PEEK = 64 * 1024;

    private final Tika tika = new Tika();

    /**
     * Reads the start of a stream and puts it back (Tika marks and resets it).
     *
     * @param in a stream that supports mark/reset (see {@link #markable})
     */
    String detect(InputStream in, String name) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("detect needs a stream that supports mark/reset");
        }
        return tika.detect(in, name);
    }

    /** @return the stream itself if it supports mark/reset, else one that buffers it */
    static InputStream markable(InputStream in) {
        return in.markSupported() ? in : new BufferedInputStream(in, PEEK);
    }
}
