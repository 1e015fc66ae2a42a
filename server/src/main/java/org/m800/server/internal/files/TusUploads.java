package org.m800.server.internal.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.m800.server.internal.auth.Tokens;
import org.m800.server.internal.wire.WireCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tus 1.0.0 side of the file endpoints (core, creation, checksum, termination, expiration), as
 * docs/protocol.md section 12 specifies it. Bodies are streamed to disk in 64 KiB pieces, so an
 * upload of any size needs no more heap than that. Thread-safe: one PATCH at a time per upload
 * (a newer one ends an older one still in flight, see {@link UploadLocks}).
 */
final class TusUploads {
    private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);
    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,checksum,termination,expiration";
    static final String OFFSET_TYPE = "application/offset+octet-stream";
    static final String UPLOADS_PATH = "/v1/files/uploads";
    /** tus's status for a checksum that does not match. */
    static final int CHECKSUM_MISMATCH = 460;
    private static final int BUFFER = 64 * 1024;

    private final FileStore store;
    private final FileBytes bytes;
    private final FileLimits limits;
    private final Clock clock;
    private final Tokens tokens = new Tokens();
    private final UploadLocks locks = new UploadLocks();
    private final RunningHashes hashes = new RunningHashes();
    private final Object creation = new Object();

    TusUploads(FileStore store, FileBytes bytes, FileLimits limits, Clock clock) {
        this.store = store;
        this.bytes = bytes;
        this.limits = limits;
        this.clock = clock;
    }

    /** {@code OPTIONS /v1/files/uploads}: discovery, without authentication. */
    void options(Response response, Callback callback) {
        response.getHeaders().put("Tus-Version", VERSION);
        response.getHeaders().put("Tus-Extension", EXTENSIONS);
        response.getHeaders().put("Tus-Checksum-Algorithm", Digests.ALGORITHMS);
        response.getHeaders().put("Tus-Max-Size", Long.toString(limits.maxFileBytes()));
        Answers.empty(response, callback, 204);
    }

    /** {@code POST /v1/files/uploads}: creation. */
    void create(String userId, Request request, Response response, Callback callback)
            throws FileHttpException, SQLException, IOException {
        long length = headerLong(request, "Upload-Length");
        UploadMetadata meta = UploadMetadata.parse(request.getHeaders().get("Upload-Metadata"));
        if (length > limits.maxFileBytes()) {
            throw FileHttpException.invalid(413, "Upload-Length", "TOO_LARGE",
                    "the file is larger than the largest file this server accepts, " + limits.maxFileBytes() + " bytes");
        }
        long now = clock.millis();
        long expiresAt = now + limits.uploadExpiry().toMillis();
        String id = tokens.newId("f-");
        synchronized (creation) {
            long used = store.storedBytes(userId);
            if (used + length > limits.storagePerUserBytes()) {
                throw FileHttpException.invalid(413, "Upload-Length", "QUOTA_EXCEEDED", "the user's files take "
                        + used + " of " + limits.storagePerUserBytes() + " bytes; " + length + " more do not fit");
            }
            bytes.create(id);
            store.insert(new FileRow(id, userId, meta.name(), meta.mimeType(), length, 0, meta.sha256(), null,
                    meta.width(), meta.height(), meta.durationMs(), now, expiresAt, false));
        }
        response.getHeaders().put(HttpHeader.LOCATION, UPLOADS_PATH + "/" + id);
        response.getHeaders().put("Upload-Expires", httpDate(expiresAt));
        if (length == 0) {
            // nothing will ever be PATCHed: the empty upload is complete at once
            FileRow row = store.upload(id, userId).orElseThrow();
            finish(row, response);
        }
        Answers.empty(response, callback, 201);
    }

    /** {@code HEAD /v1/files/uploads/<id>}: the offset to resume from. */
    void head(String userId, String id, Response response, Callback callback)
            throws FileHttpException, SQLException, IOException {
        FileRow row = live(userId, id);
        response.getHeaders().put("Upload-Offset", Long.toString(row.offset()));
        response.getHeaders().put("Upload-Length", Long.toString(row.size()));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (!row.completed()) {
            response.getHeaders().put("Upload-Expires", httpDate(row.expiresAt()));
        }
        Answers.empty(response, callback, 200);
    }

    /** {@code DELETE /v1/files/uploads/<id>}: termination; the bytes are deleted. */
    void terminate(String userId, String id, Request request, Response response, Callback callback)
            throws FileHttpException, SQLException, IOException {
        live(userId, id);
        UploadLocks.Held lock = takeOver(id, request);
        try {
            delete(id);
        } finally {
            lock.close();
        }
        Answers.empty(response, callback, 204);
    }

    /** {@code PATCH /v1/files/uploads/<id>} (or {@code POST} with {@code X-HTTP-Method-Override: PATCH}). */
    void patch(String userId, String id, Request request, Response response, Callback callback)
            throws FileHttpException, SQLException, IOException {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String bare = type == null ? "" : type.split(";", 2)[0].strip();
        boolean chunks = CheckedChunks.TYPE.equalsIgnoreCase(bare);
        if (!chunks && !OFFSET_TYPE.equalsIgnoreCase(bare)) {
            throw FileHttpException.invalid(415, "Content-Type", "BAD_CONTENT_TYPE",
                    "a PATCH body must have Content-Type: " + OFFSET_TYPE + " (or " + CheckedChunks.TYPE + ")");
        }
        long offset = headerLong(request, "Upload-Offset");
        Checksum checksum = chunks ? null : Checksum.parse(request.getHeaders().get("Upload-Checksum"));
        live(userId, id);
        UploadLocks.Held lock = takeOver(id, request);
        try {
            FileRow row = live(userId, id); // again, now that no other PATCH can move it
            if (offset != row.offset()) {
                throw FileHttpException.of(409, WireCode.CONFLICT, "OFFSET_MISMATCH", "Upload-Offset is " + offset
                        + " but the upload has " + row.offset() + " bytes; resume from there")
                        .header("Upload-Offset", Long.toString(row.offset()));
            }
            if (chunks) {
                patchChunks(row, request, response, callback);
                return;
            }
            long declared = request.getLength();
            if (declared > row.size() - offset) {
                throw beyond(row);
            }
            long kept = receive(row, request, checksum);
            long newOffset = offset + kept;
            response.getHeaders().put("Upload-Offset", Long.toString(newOffset));
            if (newOffset == row.size()) {
                finish(row, response);
            } else {
                response.getHeaders().put("Upload-Expires", httpDate(row.expiresAt()));
            }
            Answers.empty(response, callback, 204);
        } finally {
            lock.close();
        }
    }

    /**
     * A PATCH of checked chunks ({@link CheckedChunks}): the verified chunks are kept (and recorded)
     * whatever happens after them; a chunk that fails its CRC answers 460 with the offset to resend
     * from. The bytes are not forced to disk chunk by chunk: a cut or a server process crash keeps
     * them (the page cache survives a process), an operating-system crash may lose the last ones, which
     * the whole-file SHA-256 check at the end turns into a FILE_HASH_MISMATCH instead of a wrong file.
     * A completed upload is forced to disk before it is recorded as a file.
     */
    private void patchChunks(FileRow row, Request request, Response response, Callback callback)
            throws FileHttpException, SQLException, IOException {
        long offset = row.offset();
        CheckedChunks body = new CheckedChunks(row.size() - offset, hashes.continueAt(row.id(), offset));
        try (FileChannel out = bytes.openAt(row.id(), offset)) {
            try {
                body.read(Content.Source.asInputStream(request), out);
            } finally {
                if (body.kept() > 0) {
                    store.setOffset(row.id(), offset + body.kept());
                    keep(row.id(), offset + body.kept(), body.whole());
                }
            }
            long newOffset = offset + body.kept();
            response.getHeaders().put("Upload-Offset", Long.toString(newOffset));
            if (body.corrupt()) {
                throw FileHttpException.invalid(CHECKSUM_MISMATCH, "body", "CHECKSUM_MISMATCH",
                        "the CRC-32C of the chunk at offset " + newOffset + " does not match; the chunks before it"
                                + " were kept, send again from offset " + newOffset)
                        .header("Upload-Offset", Long.toString(newOffset));
            }
            if (newOffset == row.size()) {
                out.force(false);
                String declared = body.declaredSha256() == null ? null
                        : HexFormat.of().formatHex(body.declaredSha256());
                finish(row, declared, response);
            } else {
                response.getHeaders().put("Upload-Expires", httpDate(row.expiresAt()));
            }
        }
        Answers.empty(response, callback, 204);
    }

    /**
     * Appends the body at the row's offset. A body cut mid-way keeps what arrived (unless a checksum
     * was given: then nothing of it), records it and rethrows the cut. A checksum mismatch or a body
     * beyond {@code Upload-Length} keeps nothing of the body.
     *
     * @return the bytes kept
     */
    private long receive(FileRow row, Request request, Checksum checksum)
            throws FileHttpException, SQLException, IOException {
        long offset = row.offset();
        long room = row.size() - offset;
        long written = 0;
        MessageDigest whole = hashes.continueAt(row.id(), offset);
        try (FileChannel out = bytes.openAt(row.id(), offset)) {
            InputStream in = Content.Source.asInputStream(request);
            byte[] buffer = new byte[BUFFER];
            TransferRate rate = new TransferRate();
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    rate.check(written + n);
                    if (written + n > room) {
                        out.truncate(offset);
                        throw beyond(row);
                    }
                    ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    if (checksum != null) {
                        checksum.digest().update(buffer, 0, n);
                    }
                    if (whole != null) {
                        whole.update(buffer, 0, n);
                    }
                    written += n;
                }
            } catch (IOException cut) {
                if (checksum != null) {
                    out.truncate(offset);
                } else if (written > 0) {
                    out.force(false);
                    store.setOffset(row.id(), offset + written);
                    keep(row.id(), offset + written, whole);
                }
                LOG.debug("PATCH of {} cut after {} bytes; {} kept", row.id(), written, checksum == null ? written : 0);
                throw cut;
            }
            if (checksum != null && !checksum.matches()) {
                out.truncate(offset);
                throw FileHttpException.invalid(CHECKSUM_MISMATCH, "Upload-Checksum", "CHECKSUM_MISMATCH",
                        "the " + checksum.algorithm() + " of this PATCH's body does not match Upload-Checksum; "
                                + "nothing of it was kept, send it again from offset " + offset);
            }
            if (written > 0) {
                out.force(false);
                store.setOffset(row.id(), offset + written);
                keep(row.id(), offset + written, whole);
            }
        }
        return written;
    }

    private void keep(String id, long offset, MessageDigest whole) {
        if (whole != null) {
            hashes.kept(id, offset, whole);
        } else {
            hashes.forget(id);
        }
    }

    /**
     * Completes an upload whose bytes all arrived: checks the declared whole-file SHA-256 (a mismatch
     * deletes the upload) and adds {@code M800-File-Id} and {@code M800-File-Sha256} to the answer.
     */
    private void finish(FileRow row, Response response) throws FileHttpException, SQLException, IOException {
        finish(row, null, response);
    }

    /** @param declared a whole-file SHA-256 (hex) the last PATCH declared, or null */
    private void finish(FileRow row, String declared, Response response)
            throws FileHttpException, SQLException, IOException {
        String sha = row.sha256();
        if (sha == null) {
            MessageDigest running = hashes.continueAt(row.id(), row.size());
            sha = running != null ? HexFormat.of().formatHex(running.digest()) : bytes.sha256(row.id(), row.size());
            hashes.forget(row.id());
        }
        for (String expected : new String[] {row.expectedSha256(), declared}) {
            if (expected != null && !expected.equalsIgnoreCase(sha)) {
                delete(row.id());
                String name = row.name().isEmpty() ? row.id() : "\"" + row.name() + "\" (" + row.id() + ")";
                throw FileHttpException.of(CHECKSUM_MISMATCH, WireCode.INVALID_ARGUMENT, "FILE_HASH_MISMATCH",
                        "the SHA-256 of file " + name + " is " + sha + ", not the " + expected
                                + " its upload declared; the upload was deleted");
            }
        }
        if (!row.completed()) {
            store.complete(row.id(), sha);
        }
        response.getHeaders().put("M800-File-Id", row.id());
        response.getHeaders().put("M800-File-Sha256", sha);
    }

    /** @return the user's own upload, if not expired; else 404 (an expired one is deleted now) */
    private FileRow live(String userId, String id) throws FileHttpException, SQLException, IOException {
        if (!FileBytes.ID.matcher(id).matches()) {
            throw FileHttpException.notFound("NO_SUCH_UPLOAD", "upload");
        }
        FileRow row = store.upload(id, userId).orElseThrow(() -> FileHttpException.notFound("NO_SUCH_UPLOAD", "upload"));
        if (!row.completed() && row.expiresAt() <= clock.millis()) {
            UploadLocks.Held lock = locks.tryLock(id);
            if (lock != null) {
                try (lock) {
                    delete(id);
                }
            }
            throw FileHttpException.notFound("NO_SUCH_UPLOAD", "upload");
        }
        return row;
    }

    /** Deletes an upload or file: the row first, so nobody is handed bytes that are going away. */
    void delete(String id) throws SQLException, IOException {
        store.delete(id);
        bytes.delete(id);
        hashes.forget(id);
    }

    /** Deletes unfinished uploads past their expiry (the sweeper); skips one being written right now. */
    int sweep() throws SQLException, IOException {
        int deleted = 0;
        for (String id : store.expired(clock.millis())) {
            UploadLocks.Held lock = locks.tryLock(id);
            if (lock != null) {
                try (lock) {
                    delete(id);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private UploadLocks.Held takeOver(String id, Request request) throws FileHttpException, IOException {
        try {
            UploadLocks.Held lock = locks.takeOver(id, request);
            if (lock == null) {
                throw FileHttpException.of(409, WireCode.CONFLICT, "UPLOAD_BUSY",
                        "another request is writing upload " + id + " right now; ask HEAD for the offset and try again");
            }
            return lock;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while taking over upload " + id);
        }
    }

    private static FileHttpException beyond(FileRow row) {
        return FileHttpException.invalid(400, "body", "BEYOND_LENGTH", "the body goes beyond Upload-Length "
                + row.size() + " (offset " + row.offset() + "); nothing of it was kept");
    }

    private static long headerLong(Request request, String name) throws FileHttpException {
        String v = request.getHeaders().get(name);
        if (v == null) {
            throw FileHttpException.invalid(400, name, "MISSING_FIELD", name + " is required");
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw FileHttpException.invalid(400, name, "BAD_FIELD", name + " must be a non-negative integer");
        }
    }

    static String httpDate(long epochMs) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(epochMs).atOffset(ZoneOffset.UTC));
    }

    /** The {@code Upload-Checksum} of one PATCH: {@code <algorithm> <base64 digest>}. */
    private record Checksum(String algorithm, MessageDigest digest, byte[] expected) {
        static Checksum parse(String header) throws FileHttpException {
            if (header == null) {
                return null;
            }
            String[] parts = header.strip().split(" +", 2);
            MessageDigest digest = parts.length == 2 ? Digests.forTus(parts[0]) : null;
            if (digest == null) {
                throw FileHttpException.invalid(400, "Upload-Checksum", "BAD_FIELD",
                        "Upload-Checksum must be '<algorithm> <base64>' with an algorithm of " + Digests.ALGORITHMS);
            }
            try {
                return new Checksum(parts[0].toLowerCase(Locale.ROOT), digest, Base64.getDecoder().decode(parts[1]));
            } catch (IllegalArgumentException e) {
                throw FileHttpException.invalid(400, "Upload-Checksum", "BAD_FIELD", "the digest is not base64");
            }
        }

        boolean matches() {
            return MessageDigest.isEqual(digest.digest(), expected);
        }
    }
}
