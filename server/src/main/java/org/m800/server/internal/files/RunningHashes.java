package org.m800.server.internal.files;

import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SHA-256 of each unfinished upload's bytes so far, kept in memory as the bytes arrive, so that
 * the whole-file hash is ready when the last byte is written instead of reading the file again. Only
 * a shortcut: after a restart (or for an offset it does not know) the caller hashes the file from
 * disk. Thread-safe; the upload's lock keeps two writers off one id.
 */
final class RunningHashes {
    private record Running(long offset, MessageDigest digest) {
    }

    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();

    /**
     * @return a digest of the upload's first {@code offset} bytes to continue (a copy: the kept one
     *         changes only through {@link #kept}), or null if unknown
     */
    MessageDigest continueAt(String id, long offset) {
        if (offset == 0) {
            return Digests.sha256();
        }
        Running r = running.get(id);
        if (r == null || r.offset() != offset) {
            return null;
        }
        try {
            return (MessageDigest) r.digest().clone();
        } catch (CloneNotSupportedException e) {
            return null;
        }
    }

    /** The digest now covers the upload's first {@code offset} bytes (what is on disk and recorded). */
    void kept(String id, long offset, MessageDigest digest) {
        running.put(id, new Running(offset, digest));
    }

    void forget(String id) {
        running.remove(id);
    }
}
