package org.m800.server.internal.files;

/**
 * One upload and, once complete, the file it became (table {@code files}).
 *
 * @param id the upload id, which is the file id
 * @param uploaderId the user who created the upload
 * @param name the file name the client declared (never a path on the server), may be empty
 * @param mimeType the declared type, {@code application/octet-stream} if none
 * @param size the declared {@code Upload-Length}
 * @param offset the bytes received and kept
 * @param expectedSha256 the whole-file hash the client declared (lowercase hex), or null
 * @param sha256 the whole-file hash (lowercase hex) once complete, else null
 * @param width declared by the client, or null
 * @param height declared by the client, or null
 * @param durationMs declared by the client, or null
 * @param createdAt epoch ms
 * @param expiresAt epoch ms after which an unfinished upload is deleted
 * @param completed whether all bytes arrived and the hash checked out
 */
record FileRow(String id, String uploaderId, String name, String mimeType, long size, long offset,
        String expectedSha256, String sha256, Long width, Long height, Long durationMs, long createdAt, long expiresAt,
        boolean completed) {
}
