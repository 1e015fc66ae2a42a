package org.m800.server.internal.files;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

/**
 * The body of a PATCH of checked chunks ({@value #TYPE}, docs/protocol.md section 12.4): many chunks
 * in one request, each verified on its own, so a large upload costs one round trip instead of one per
 * chunk while a corrupted chunk still costs only that chunk. The body is a sequence of frames:
 * <pre>
 *   chunk frame: length (4 bytes, big-endian, 1..{@value #MAX_CHUNK}) | data (length bytes) | CRC-32C of data (4 bytes)
 *   end frame:   0 (4 bytes) | SHA-256 of the whole file (32 bytes)       -- only in a body that reaches Upload-Length
 * </pre>
 * A chunk is written at the upload's offset as it streams in and counts as kept only when its CRC
 * matches; a mismatch, a cut or a bad frame drops it (the file is truncated back to the end of the
 * last kept chunk). The running whole-file SHA-256, when known, advances with the kept chunks only.
 * Not thread-safe: one per request; the caller holds the upload's lock.
 */
final class CheckedChunks {
    /** The Content-Type of such a body. */
    static final String TYPE = "application/vnd.m800.checked-chunks";
    /** The largest chunk a frame may announce: 64 MiB (the data is streamed, never held in memory). */
    static final int MAX_CHUNK = 64 * 1024 * 1024;
    private static final int BUFFER = 256 * 1024;

    private final long room;
    private final TransferRate rate = new TransferRate();
    private MessageDigest whole;
    private MessageDigest wholeAtKept;
    private long kept;
    private long received;
    private boolean corrupt;
    private byte[] declaredSha256;

    /**
     * @param room  the bytes the upload still lacks (Upload-Length minus its offset)
     * @param whole the running SHA-256 of the upload's bytes so far, or null if unknown
     */
    CheckedChunks(long room, MessageDigest whole) {
        this.room = room;
        this.whole = whole;
        this.wholeAtKept = copy(whole);
    }

    /**
     * Reads frames until the body ends or a chunk fails its CRC, writing chunks to {@code out} (which
     * is positioned at the upload's offset). On return and on any throw, {@code out} holds exactly the
     * kept chunks after the offset.
     *
     * @throws IOException        the body was cut (or too slow); {@link #kept()} says what stays
     * @throws FileHttpException  a malformed frame or a chunk beyond Upload-Length (400)
     */
    void read(InputStream in, FileChannel out) throws IOException, FileHttpException {
        long start = out.position();
        byte[] buffer = new byte[BUFFER];
        CRC32C crc = new CRC32C();
        try {
            while (true) {
                int length = readInt(in, true);
                if (length == EOF) {
                    return;
                }
                if (length == 0) {
                    declaredSha256 = in.readNBytes(32);
                    if (declaredSha256.length != 32) {
                        throw new EOFException("the end frame was cut");
                    }
                    if (in.read() >= 0) {
                        throw FileHttpException.invalid(400, "body", "BAD_FRAME", "bytes after the end frame");
                    }
                    if (kept != room) {
                        throw FileHttpException.invalid(400, "body", "BAD_FRAME", "an end frame after " + kept
                                + " bytes, but the upload lacks " + room);
                    }
                    return;
                }
                if (length < 0 || length > MAX_CHUNK) {
                    throw FileHttpException.invalid(400, "body", "BAD_FRAME", "a chunk of " + Integer.toUnsignedLong(
                            length) + " bytes; chunks have 1 to " + MAX_CHUNK);
                }
                if (kept + length > room) {
                    throw FileHttpException.invalid(400, "body", "BEYOND_LENGTH", "the chunks go beyond Upload-Length;"
                            + " the chunks before this one were kept");
                }
                crc.reset();
                int left = length;
                while (left > 0) {
                    int n = in.read(buffer, 0, Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new EOFException("the body was cut inside a chunk");
                    }
                    ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    crc.update(buffer, 0, n);
                    if (whole != null) {
                        whole.update(buffer, 0, n);
                    }
                    left -= n;
                    received += n;
                    rate.check(received);
                }
                if (readInt(in, false) != (int) crc.getValue()) {
                    corrupt = true;
                    return;
                }
                kept += length;
                wholeAtKept = copy(whole);
            }
        } finally {
            if (out.size() > start + kept) {
                out.truncate(start + kept);
            }
            whole = wholeAtKept;
        }
    }

    private static final int EOF = Integer.MIN_VALUE;

    /** @return the next 4 bytes as a big-endian int; {@link #EOF} at a clean end where one is allowed */
    private static int readInt(InputStream in, boolean endAllowed) throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0 && endAllowed) {
                    return EOF;
                }
                throw new EOFException("the body was cut inside a frame header");
            }
            value = value << 8 | b;
        }
        return value;
    }

    private static MessageDigest copy(MessageDigest d) {
        if (d == null) {
            return null;
        }
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            return null;
        }
    }

    /** @return the bytes of verified chunks written after the offset */
    long kept() {
        return kept;
    }

    /** @return whether reading stopped at a chunk whose CRC did not match (nothing of it kept) */
    boolean corrupt() {
        return corrupt;
    }

    /** @return the SHA-256 of the upload's first offset + {@link #kept()} bytes, or null if unknown */
    MessageDigest whole() {
        return whole;
    }

    /** @return the whole file's SHA-256 from the end frame, or null if the body had none */
    byte[] declaredSha256() {
        return declaredSha256;
    }
}
