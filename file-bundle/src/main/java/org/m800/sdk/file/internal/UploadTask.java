package org.m800.sdk.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileManager;

/**
 * An upload over tus 1.0 (docs/protocol.md section 12): create the upload (once; its id is kept before
 * the first byte goes), ask the server's offset (HEAD), then send the bytes. A file goes in one PATCH of
 * checked chunks ({@link ChunkSender}: a CRC-32C per chunk, the whole file's SHA-256 at the end, checked
 * by the server before the upload completes). A stream, or a file to a server that refuses checked
 * chunks (415), goes in plain tus PATCHes of {@value FileManager#CHUNK_SIZE} bytes, each with its SHA-256
 * in {@code Upload-Checksum}. A chunk the server finds corrupted (460) is sent again; a cut connection
 * goes on from the server's offset. A stream's whole SHA-256 is compared with the server's at the end.
 */
final class UploadTask implements TransferTask {

    static final String TUS = "1.0.0";
    static final String UPLOADS = "/v1/files/uploads";
    private static final int MAX_CORRUPT_RESENDS = 5;
    private static final int MAX_RECREATES = 3;
    private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(5);

    private final FileHttp http;
    private final ContentTypes types;
    private final Duration requestTimeout;
    /** The stream of a stream upload, or null; read once, in order. */
    private final InputStream stream;
    /** Where the stream's bytes in {@link #chunk} start, and how many there are. */
    private long chunkStart = -1;
    private int chunkLength;
    private byte[] chunk;
    private final MessageDigest streamDigest = Hashes.sha256();
    private long streamRead;
    private int recreates;
    /** Whether the server refused a PATCH of checked chunks (415): plain tus PATCHes from then on. */
    private boolean chunksRefused;
    private final ChunkSender chunks;

    UploadTask(FileHttp http, ContentTypes types, Duration requestTimeout, InputStream stream) {
        this.http = http;
        this.types = types;
        this.requestTimeout = requestTimeout;
        this.stream = stream;
        this.chunks = new ChunkSender(this);
    }

    @Override
    public FileInfo attempt(TransferImpl t) throws IOException {
        try {
            return attemptOnce(t);
        } catch (Finished f) {
            return fromInfo(t.record(), f.info);
        }
    }

    private FileInfo attemptOnce(TransferImpl t) throws IOException {
        TransferRecord r = prepare(t);
        if (r.uploadId() == null) {
            FileHttp.Answer created = create(t, r);
            r = t.record();
            String fileId = created.header("M800-File-Id");
            if (fileId != null) {
                return finished(r, fileId, created.header("M800-File-Sha256"));
            }
        }
        long offset = head(t, r);
        if (offset < 0) {
            return attemptOnce(t);
        }
        t.offsetKnown(offset);
        FileChannel channel = r.source() == null ? null : FileChannel.open(Path.of(r.source()), StandardOpenOption.READ);
        try {
            if (channel != null && !chunksRefused) {
                FileInfo done = chunks.send(t, r, channel, offset);
                if (done != null) {
                    return done;
                }
                // the server does not take checked chunks: plain tus, with the whole file's hash known first
                if (r.sha256() == null) {
                    t.update(r.withContent(r.mimeType(), Hashes.sha256Hex(Path.of(r.source()), r.size()))).join();
                    r = t.record();
                }
                offset = head(t, r);
                if (offset < 0) {
                    return attemptOnce(t);
                }
                t.offsetKnown(offset);
            }
            if (chunk == null) {
                chunk = new byte[(int) Math.min(FileManager.CHUNK_SIZE, Math.max(r.size(), 1))];
            }
            int corrupt = 0;
            do {
                t.checkStop();
                int len = (int) Math.min(chunk.length, r.size() - offset);
                load(r, channel, offset, len);
                MessageDigest d = Hashes.sha256();
                d.update(chunk, 0, len);
                String checksum = "sha256 " + Base64.getEncoder().encodeToString(d.digest());
                Map<String, String> h = new LinkedHashMap<>();
                h.put("Tus-Resumable", TUS);
                h.put("Upload-Offset", Long.toString(offset));
                h.put("Upload-Checksum", checksum);
                FileHttp.Answer a = http.exchange("PATCH", UPLOADS + "/" + r.uploadId(), h,
                        ByteBuffer.wrap(chunk, 0, len), "application/offset+octet-stream", CHUNK_TIMEOUT, t.abort);
                if (a.status() == 204 || a.status() == 200) {
                    offset = Long.parseLong(required(a, "Upload-Offset"));
                    t.progressed(offset);
                    corrupt = 0;
                    String fileId = a.header("M800-File-Id");
                    if (fileId != null) {
                        return finished(r, fileId, a.header("M800-File-Sha256"));
                    }
                } else if (a.status() == 460 && a.body().contains("FILE_HASH_MISMATCH")) {
                    throw new M800Exception(ErrorCode.INVALID_ARGUMENT, "the upload of '" + r.name()
                            + "' failed: the server found a different SHA-256 for the whole file (the file changed"
                            + " while it was read?); the server deleted the upload");
                } else if (a.status() == 460) {
                    if (++corrupt > MAX_CORRUPT_RESENDS) {
                        throw Errors.of(a, "the upload of '" + r.name() + "' at offset " + offset
                                + " (the chunk arrived corrupted " + corrupt + " times)");
                    }
                } else if (a.status() == 409) {
                    offset = head(t, r);
                    if (offset < 0) {
                        return attemptOnce(t);
                    }
                    t.offsetKnown(offset);
                } else if (Errors.retryable(a.status())) {
                    throw new IOException("PATCH answered HTTP " + a.status());
                } else {
                    throw Errors.of(a, "the upload of '" + r.name() + "'");
                }
            } while (offset < r.size());
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
        // every byte is there but the answer that named the file was lost: the upload id is the file id
        return complete(t, r);
    }

    /** Fills in what a new upload needs: the name, size, SHA-256 and type of a file (read once). */
    private TransferRecord prepare(TransferImpl t) throws IOException {
        TransferRecord r = t.record();
        if (r.source() == null) {
            if (r.uploadId() != null && stream == null) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the upload of '" + r.name()
                        + "' read a stream that a closed client no longer has; upload it again");
            }
            if (r.mimeType() == null) {
                t.update(r.withContent(types.detect(stream, r.name()), null));
                r = t.record();
            }
            return r;
        }
        Path file = Path.of(r.source());
        if (r.size() < 0) {
            r = firstLook(t, r, file);
        }
        long size;
        long modified;
        try {
            size = Files.size(file);
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (NoSuchFileException e) {
            throw M800Exception.invalidArgument("the file '" + r.name() + "' to upload is gone: " + file);
        }
        if (size != r.size() || modified != r.sourceModified()) {
            throw M800Exception.invalidArgument("the file '" + r.name() + "' changed while it was being uploaded ("
                    + file + ")");
        }
        if (r.sha256() == null && chunksRefused) {
            t.update(r.withContent(r.mimeType(), Hashes.sha256Hex(file, size))).join();
            r = t.record();
        }
        if (r.mimeType() == null) {
            // the whole file's SHA-256 is computed while it is sent (ChunkSender), not in a pass of its own
            String mime;
            try (InputStream in = ContentTypes.markable(Files.newInputStream(file))) {
                mime = types.detect(in, r.name());
            }
            t.update(r.withContent(mime, r.sha256())).join();
            r = t.record();
        }
        return r;
    }

    /** Checks the file and takes its size and time, on the transfer thread (the caller's may not wait for a disk). */
    private static TransferRecord firstLook(TransferImpl t, TransferRecord r, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw M800Exception.invalidArgument("'" + file + "' is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw M800Exception.invalidArgument("'" + file + "' is not readable");
        }
        TransferRecord next = new TransferRecord(r.id(), r.direction(), r.name(), r.mimeType(), Files.size(file),
                r.sha256(), r.source(), Files.getLastModifiedTime(file).toMillis(), r.uploadId(), r.fileId(),
                r.target(), r.paused());
        t.update(next).join();
        return next;
    }

    private FileHttp.Answer create(TransferImpl t, TransferRecord r) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Tus-Resumable", TUS);
        h.put("Upload-Length", Long.toString(r.size()));
        StringBuilder meta = new StringBuilder("filename ").append(b64(r.name().getBytes(StandardCharsets.UTF_8)))
                .append(",filetype ").append(b64(r.mimeType().getBytes(StandardCharsets.UTF_8)));
        if (r.sha256() != null) {
            meta.append(",sha256 ").append(b64(Hashes.HEX.parseHex(r.sha256())));
        }
        h.put("Upload-Metadata", meta.toString());
        FileHttp.Answer a = http.exchange("POST", UPLOADS, h, null, null, requestTimeout, t.abort);
        if (a.status() == 201) {
            String location = required(a, "Location");
            String uploadId = location.substring(location.lastIndexOf('/') + 1);
            if (uploadId.isEmpty()) {
                throw new M800Exception(ErrorCode.PROTOCOL, "the file server created an upload at '" + location
                        + "', which names no upload");
            }
            // kept before the first byte goes, so a restarted client asks this upload's offset
            t.update(r.withUploadId(uploadId)).join();
            return a;
        }
        if (Errors.retryable(a.status())) {
            throw new IOException("POST " + UPLOADS + " answered HTTP " + a.status());
        }
        throw Errors.of(a, "the upload of '" + r.name() + "' (" + r.size() + " bytes)");
    }

    /** @return the server's offset; -1 when the upload is gone and was created anew (attempt again) */
    long head(TransferImpl t, TransferRecord r) throws IOException {
        FileHttp.Answer a = http.exchange("HEAD", UPLOADS + "/" + r.uploadId(), Map.of("Tus-Resumable", TUS), null,
                null, requestTimeout, t.abort);
        if (a.status() == 200 || a.status() == 204) {
            return Long.parseLong(required(a, "Upload-Offset"));
        }
        if (a.status() == 404 || a.status() == 410) {
            // finished (the upload became the file) or expired: the file's info tells
            FileHttp.Answer info = http.exchange("GET", "/v1/files/" + r.uploadId() + "/info", Map.of(), null, null,
                    requestTimeout, t.abort);
            if (info.status() == 200) {
                throw new Finished(info);
            }
            if (++recreates > MAX_RECREATES || stream != null && chunkStart > 0) {
                throw new M800Exception(ErrorCode.NOT_FOUND, "the upload of '" + r.name()
                        + "' expired on the server and cannot be started again");
            }
            t.update(r.withUploadId(null)).join();
            return -1;
        }
        if (Errors.retryable(a.status())) {
            throw new IOException("HEAD answered HTTP " + a.status());
        }
        throw Errors.of(a, "the upload of '" + r.name() + "'");
    }

    /** The HEAD found the upload finished: its info answer. */
    private static final class Finished extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient FileHttp.Answer info;

        Finished(FileHttp.Answer info) {
            super(null, null, false, false);
            this.info = info;
        }
    }

    private FileInfo complete(TransferImpl t, TransferRecord r) throws IOException {
        FileHttp.Answer info = http.exchange("GET", "/v1/files/" + r.uploadId() + "/info", Map.of(), null, null,
                requestTimeout, t.abort);
        if (info.status() != 200) {
            if (Errors.retryable(info.status())) {
                throw new IOException("GET info answered HTTP " + info.status());
            }
            throw Errors.of(info, "the upload of '" + r.name() + "'");
        }
        return fromInfo(r, info);
    }

    private FileInfo fromInfo(TransferRecord r, FileHttp.Answer info) throws IOException {
        Map<?, ?> m = Errors.JSON.readValue(info.body(), Map.class);
        return finished(r, String.valueOf(m.get("fileId")), String.valueOf(m.get("sha256")));
    }

    FileInfo finished(TransferRecord r, String fileId, String serverSha) {
        String sha = r.sha256();
        if (sha == null && r.source() != null) {
            sha = chunks.sha256Of(r);
        } else if (sha == null) {
            if (streamRead != r.size()) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the upload of '" + r.name()
                        + "' finished on the server before this client read the whole stream");
            }
            sha = Hashes.HEX.formatHex(streamDigest.digest());
        }
        if (serverSha != null && !serverSha.equalsIgnoreCase(sha)) {
            throw new M800Exception(ErrorCode.INVALID_ARGUMENT, "the upload of '" + r.name()
                    + "' arrived with SHA-256 " + serverSha + " but the file has " + sha);
        }
        return new FileInfo(fileId, r.name(), r.mimeType(), r.size(), sha);
    }

    /** Puts the bytes [offset, offset + len) into {@link #chunk}. */
    private void load(TransferRecord r, FileChannel channel, long offset, int len) throws IOException {
        if (channel != null) {
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, len);
            long pos = offset;
            while (b.hasRemaining()) {
                int n = channel.read(b, pos);
                if (n < 0) {
                    throw M800Exception.invalidArgument("the file '" + r.name() + "' got shorter while it was"
                            + " being uploaded");
                }
                pos += n;
            }
            return;
        }
        if (offset == chunkStart && len <= chunkLength) {
            return;
        }
        if (offset != (chunkStart < 0 ? 0 : chunkStart + chunkLength) || offset != streamRead) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the upload of '" + r.name() + "' must go on at offset "
                    + offset + " but its stream has moved on to " + streamRead);
        }
        int read = 0;
        while (read < len) {
            int n = stream.read(chunk, read, len - read);
            if (n < 0) {
                throw M800Exception.invalidArgument("the stream of '" + r.name() + "' ended after "
                        + (streamRead + read) + " of the " + r.size() + " bytes announced");
            }
            read += n;
        }
        streamDigest.update(chunk, 0, len);
        streamRead += len;
        chunkStart = offset;
        chunkLength = len;
    }

    @Override
    public void cleanUp(TransferImpl t) {
        TransferRecord r = t.record();
        if (r.uploadId() == null) {
            return;
        }
        try {
            http.exchange("DELETE", UPLOADS + "/" + r.uploadId(), Map.of("Tus-Resumable", TUS), null, null,
                    requestTimeout, null);
        } catch (IOException | RuntimeException e) {
            // the server deletes unfinished uploads after 24 h anyway
        }
    }

    /** Marks the server as one that does not take PATCHes of checked chunks. */
    void chunksRefused() {
        chunksRefused = true;
    }

    FileHttp http() {
        return http;
    }

    @Override
    public void release() {
        chunk = null;
        chunks.release();
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    static String required(FileHttp.Answer a, String header) {
        String v = a.header(header);
        if (v == null) {
            throw new M800Exception(ErrorCode.PROTOCOL, "the file server's answer (HTTP " + a.status() + ") lacks "
                    + header);
        }
        return v.strip();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
