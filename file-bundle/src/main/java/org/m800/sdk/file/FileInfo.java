package org.m800.sdk.file;

import java.util.Objects;

/**
 * A file on the file server, as its {@code info} answers or as an upload completed.
 *
 * @param fileId the file's id on the server
 * @param name the file name given at upload (never used as a path)
 * @param mimeType such as {@code image/jpeg}
 * @param size in bytes
 * @param sha256 the SHA-256 of the whole file, 64 lower-case hex digits
 */
public record FileInfo(String fileId, String name, String mimeType, long size, String sha256) {

    /** @throws NullPointerException for a null id, name, type or hash */
    public FileInfo {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(sha256, "sha256");
    }
}
