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

    /**
     * Made by the first detection, not with the client: building Tika parses its whole MIME database (about a
     * tenth of a client's creation CPU in a fresh runtime), and most clients upload nothing soon after they
     * start. Detection runs on a transfer or work thread of the file module, where the first upload or
     * analysis pays it once per JVM (Tika keeps the parsed database).
     */
    private volatile Tika tika;

    /**
     * Reads the start of a stream and puts it back (Tika marks and resets it).
     *
     * @param in a stream that supports mark/reset (see {@link #markable})
     */
    String detect(InputStream in, String name) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("detect needs a stream that supports mark/reset");
        }
        return tika().detect(in, name);
    }

    private Tika tika() {
        Tika made = tika;
        if (made == null) {
            synchronized (this) {
                made = tika;
                if (made == null) {
                    made = new Tika();
                    tika = made;
                }
            }
        }
        return made;
    }

    /** @return the stream itself if it supports mark/reset, else one that buffers it */
    static InputStream markable(InputStream in) {
        return in.markSupported() ? in : new BufferedInputStream(in, PEEK);
    }
}
