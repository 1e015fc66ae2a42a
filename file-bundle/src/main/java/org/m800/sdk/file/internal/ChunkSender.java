package org.m800.sdk.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileManager;

/**
 * Sends a file's bytes from an offset to its end in one PATCH of checked chunks (docs/protocol.md
 * section 12.4): chunks of {@value FileManager#CHUNK_SIZE} bytes, each with its CRC-32C, and an end
 * frame with the SHA-256 of the whole file, which the server checks before the upload completes. Two
 * buffers: the next chunk is read and checksummed while the previous one is on the wire, and the
 * sender never waits for an answer between chunks. A chunk the server finds corrupted is sent again
 * (the server keeps the chunks before it); the whole file's SHA-256 is computed on the way (a resumed
 * upload hashes the part the server has from the file first), so the file is read once, not twice.
 * Used by one transfer thread at a time.
 */
final class ChunkSender {

    static final String TYPE = "application/vnd.m800.checked-chunks";
    private static final int MAX_CORRUPT_RESENDS = 5;
    /**
     * How long one chunk may take to go out before the request counts as stuck: as long as a whole
     * chunk request had before chunks shared one request. A connection on which nothing moves fails
     * sooner, by the HTTP client's idle timeout.
     */
    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(5);
    /** How long the server may take to answer once the body is out (it forces the file to disk). */
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(5);

    private final UploadTask upload;
    private byte[][] buffers;
    /** The SHA-256 of the file's first {@link #hashedTo} bytes. */
    private MessageDigest hashed;
    private long hashedTo = -1;
    /** The hex SHA-256 of the whole file, once the end frame was sent. */
    private String sha256;

    ChunkSender(UploadTask upload) {
        this.upload = upload;
    }

    /**
     * @return the file's info when the upload completed; null if the server does not take checked
     *         chunks (HTTP 415: the caller goes on with plain tus PATCHes)
     * @throws IOException a cut or a retryable answer: the caller's retry resumes from the server's offset
     */
    FileInfo send(TransferImpl t, TransferRecord r, FileChannel channel, long offset) throws IOException {
        long at = offset;
        long corruptAt = -1;
        int corrupt = 0;
        boolean refresh = false;
        while (true) {
            t.checkStop();
            FileHttp.Answer a = patch(t, r, channel, at, refresh);
            int status = a.status();
            if (status == 204 || status == 200) {
                at = Long.parseLong(UploadTask.required(a, "Upload-Offset"));
                t.progressed(at);
                String fileId = a.header("M800-File-Id");
                if (fileId != null) {
                    return upload.finished(r, fileId, a.header("M800-File-Sha256"));
                }
                // the server kept less than the whole body without saying why: go on from its offset
                corrupt = 0;
            } else if (status == 460 && a.body().contains("FILE_HASH_MISMATCH")) {
                throw new M800Exception(ErrorCode.INVALID_ARGUMENT, "the upload of '" + r.name()
                        + "' failed: the server found a different SHA-256 for the whole file (the file changed"
                        + " while it was read?); the server deleted the upload");
            } else if (status == 460) {
                at = Long.parseLong(UploadTask.required(a, "Upload-Offset"));
                corrupt = at == corruptAt ? corrupt + 1 : 1;
                corruptAt = at;
                if (corrupt > MAX_CORRUPT_RESENDS) {
                    throw Errors.of(a, "the upload of '" + r.name() + "' at offset " + at
                            + " (the chunk arrived corrupted " + corrupt + " times)");
                }
                t.offsetKnown(at);
            } else if (status == 415) {
                upload.chunksRefused();
                return null;
            } else if (status == 401 && a.body().contains("TOKEN_EXPIRED") && !refresh) {
                refresh = true;
            } else if (status == 409 || Errors.retryable(status)) {
                // another writer or a busy server: the retry asks the offset again
                throw new IOException("PATCH answered HTTP " + status);
            } else {
                throw Errors.of(a, "the upload of '" + r.name() + "'");
            }
        }
    }

    /** One PATCH from {@code offset} to the end of the file. @return the server's answer */
    private FileHttp.Answer patch(TransferImpl t, TransferRecord r, FileChannel channel, long offset,
            boolean refresh) throws IOException {
        MessageDigest whole = hashAt(r, offset);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Tus-Resumable", UploadTask.TUS);
        h.put("Upload-Offset", Long.toString(offset));
        FileHttp.Upstream up = upload.http().upstream("PATCH", UploadTask.UPLOADS + "/" + r.uploadId(), h, TYPE,
                t.abort, refresh);
        if (buffers == null) {
            int size = (int) Math.min(FileManager.CHUNK_SIZE, Math.max(r.size(), 1)) + 8;
            buffers = new byte[][] {new byte[size], new byte[size]};
        }
        java.util.List<CompletableFuture<Void>> pending = new java.util.ArrayList<>(java.util.Arrays.asList(null, null));
        long[] ends = new long[2];
        CRC32C crc = new CRC32C();
        long pos = offset;
        try {
            for (int i = 0; pos < r.size() && !up.answered(); i++) {
                t.checkStop();
                int slot = i & 1;
                if (!sent(t, up, pending.get(slot), ends[slot])) {
                    break;
                }
                byte[] buf = buffers[slot];
                int len = (int) Math.min(FileManager.CHUNK_SIZE, r.size() - pos);
                read(r, channel, buf, len, pos);
                crc.reset();
                crc.update(buf, 4, len);
                whole.update(buf, 4, len);
                ByteBuffer frame = ByteBuffer.wrap(buf, 0, len + 8);
                frame.putInt(0, len).putInt(4 + len, (int) crc.getValue());
                pos += len;
                hashedTo = pos;
                ends[slot] = pos;
                pending.set(slot, up.write(frame));
            }
            if (pos == r.size() && !up.answered()) {
                unchanged(r);
                MessageDigest copy = clone(whole);
                byte[] sha = whole.digest();
                hashed = copy;
                sha256 = Hashes.HEX.formatHex(sha);
                up.write(ByteBuffer.allocate(36).putInt(0).put(sha).flip());
            } else {
                hashed = whole;
            }
            up.end();
        } catch (IOException | RuntimeException e) {
            hashed = null;
            hashedTo = -1;
            up.abort(e);
            throw e;
        }
        return up.answer(ANSWER_TIMEOUT);
    }

    /**
     * Waits until a buffer handed to the request went out. @return false if the request ended first
     * (the server answered early, e.g. a corrupted chunk: its answer says what to do)
     */
    private static boolean sent(TransferImpl t, FileHttp.Upstream up, CompletableFuture<Void> write, long end)
            throws IOException {
        if (write == null) {
            return true;
        }
        try {
            write.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            t.progressed(end);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("a chunk of the upload did not go out within " + WRITE_TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            t.checkStop();
            if (up.answered()) {
                return false;
            }
            throw new IOException("the upload was cut: " + e.getCause(), e.getCause());
        }
    }

    /** @return a digest of the file's first {@code offset} bytes (the one kept from the last PATCH if it fits) */
    private MessageDigest hashAt(TransferRecord r, long offset) throws IOException {
        if (hashed != null && hashedTo == offset) {
            MessageDigest d = hashed;
            hashed = null;
            return d;
        }
        MessageDigest d = Hashes.sha256();
        Hashes.update(d, Path.of(r.source()), offset);
        hashedTo = offset;
        return d;
    }

    /**
     * @return the SHA-256 of the whole file as this sender sent it, or (the upload completed in an
     *         earlier life of the client) as the file is now
     */
    String sha256Of(TransferRecord r) {
        if (sha256 != null) {
            return sha256;
        }
        try {
            return Hashes.sha256Hex(Path.of(r.source()), r.size());
        } catch (IOException e) {
            throw new M800Exception(ErrorCode.INVALID_ARGUMENT, "cannot read '" + r.source() + "' to check its upload: " + e, e);
        }
    }

    private static void read(TransferRecord r, FileChannel channel, byte[] buf, int len, long offset)
            throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, 4, len);
        long pos = offset;
        while (b.hasRemaining()) {
            int n = channel.read(b, pos);
            if (n < 0) {
                throw M800Exception.invalidArgument("the file '" + r.name() + "' got shorter while it was"
                        + " being uploaded");
            }
            pos += n;
        }
    }

    /** The file must still be the one whose bytes were sent before its hash goes out. */
    private static void unchanged(TransferRecord r) throws IOException {
        Path file = Path.of(r.source());
        if (Files.size(file) != r.size() || Files.getLastModifiedTime(file).toMillis() != r.sourceModified()) {
            throw M800Exception.invalidArgument("the file '" + r.name() + "' changed while it was being uploaded ("
                    + file + ")");
        }
    }

    private static MessageDigest clone(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of the JDK can be cloned", e);
        }
    }

    void release() {
        buffers = null;
    }
}
