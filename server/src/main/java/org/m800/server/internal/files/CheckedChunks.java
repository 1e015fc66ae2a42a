package org.m800.server.internal.files;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;

/**
 * The body of a PATCH of checked chunks ({@value #TYPE}, docs/protocol.md section 12.4): many chunks
 * in one request, each verified on its own, so a large upload costs one round trip instead of one per
 * chunk while a corrupted chunk still costs only that chunk. The body is a sequence of frames:
 * <pre>
 *   chunk frame: length (4 bytes, big-endian, 1..{@value #MAX_CHUNK}) | data (length bytes) | CRC-32C of data (4 bytes)
 *   end frame:   0 (4 bytes) | SHA-256 of the whole file (32 bytes)       -- only in a body that reaches Upload-Length
 * </pre>
 * The body is read as Jetty hands it over, buffer by buffer (no stream in between); a chunk's data
 * goes to a {@link StagedWrites} as it streams in (checked against its CRC on the way) and counts as
 * kept only when its CRC matches; a mismatch, a cut or a bad frame drops it (the caller truncates the
 * file back to the end of the last kept chunk, and the whole-file SHA-256 goes back to it too).
 * Not thread-safe: one per request; the caller holds the upload's lock.
 */
final class CheckedChunks {
    /** The Content-Type of such a body. */
    static final String TYPE = "application/vnd.m800.checked-chunks";
    /** The largest chunk a frame may announce: 64 MiB (the data is streamed, never held in memory). */
    static final int MAX_CHUNK = 64 * 1024 * 1024;

    private enum Part { HEADER, DATA, TRAILER, END_HASH, DONE }

    private final long room;
    private final TransferRate rate = new TransferRate();
    private final CRC32C crc = new CRC32C();
    /** A frame header, a CRC or the end frame's hash, which may arrive split over network buffers. */
    private final ByteBuffer small = ByteBuffer.allocate(32);
    private Part part = Part.HEADER;
    private int length;
    private int left;
    private long kept;
    private long received;
    private boolean corrupt;
    private byte[] declaredSha256;

    /** @param room the bytes the upload still lacks (Upload-Length minus its offset) */
    CheckedChunks(long room) {
        this.room = room;
    }

    /**
     * Reads frames until the body ends or a chunk fails its CRC, handing chunks' data to {@code sink}
     * and telling it where each verified chunk ends. The caller closes the sink and truncates the file
     * to what it kept, on return and on any throw.
     *
     * @throws IOException        the body was cut (or too slow); {@link #kept()} says what stays
     * @throws FileHttpException  a malformed frame or a chunk beyond Upload-Length (400)
     */
    void read(Content.Source in, StagedWrites sink) throws IOException, FileHttpException {
        while (true) {
            Content.Chunk chunk = next(in);
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable t = chunk.getFailure();
                    throw t instanceof IOException io ? io : new IOException(t);
                }
                ByteBuffer b = chunk.getByteBuffer();
                while (b.hasRemaining()) {
                    if (!consume(b, sink)) {
                        return;
                    }
                }
                if (chunk.isLast()) {
                    if (part == Part.HEADER && small.position() == 0 || part == Part.DONE) {
                        if (part == Part.DONE && kept != room) {
                            throw FileHttpException.invalid(400, "body", "BAD_FRAME", "an end frame after " + kept
                                    + " bytes, but the upload lacks " + room);
                        }
                        return;
                    }
                    throw new EOFException(part == Part.DATA ? "the body was cut inside a chunk"
                            : "the body was cut inside a frame header");
                }
            } finally {
                chunk.release();
            }
        }
    }

    /** Takes what it can of {@code b} for the current part of a frame. @return false at a corrupted chunk */
    private boolean consume(ByteBuffer b, StagedWrites sink) throws IOException, FileHttpException {
        switch (part) {
            case HEADER -> {
                if (fill(b, 4)) {
                    startFrame(small.getInt(0));
                }
            }
            case DATA -> {
                int n = Math.min(left, b.remaining());
                ByteBuffer data = b.slice(b.position(), n);
                crc.update(data);
                int limit = b.limit();
                sink.write(b.limit(b.position() + n));
                b.limit(limit);
                left -= n;
                received += n;
                rate.check(received);
                if (left == 0) {
                    part = Part.TRAILER;
                }
            }
            case TRAILER -> {
                if (fill(b, 4)) {
                    if (small.getInt(0) != (int) crc.getValue()) {
                        corrupt = true;
                        return false;
                    }
                    kept += length;
                    sink.kept();
                    part = Part.HEADER;
                }
            }
            case END_HASH -> {
                if (fill(b, 32)) {
                    declaredSha256 = new byte[32];
                    small.get(0, declaredSha256);
                    part = Part.DONE;
                }
            }
            case DONE -> throw FileHttpException.invalid(400, "body", "BAD_FRAME", "bytes after the end frame");
        }
        return true;
    }

    private void startFrame(int frameLength) throws FileHttpException {
        if (frameLength == 0) {
            part = Part.END_HASH;
            return;
        }
        if (frameLength < 0 || frameLength > MAX_CHUNK) {
            throw FileHttpException.invalid(400, "body", "BAD_FRAME", "a chunk of " + Integer.toUnsignedLong(
                    frameLength) + " bytes; chunks have 1 to " + MAX_CHUNK);
        }
        if (kept + frameLength > room) {
            throw FileHttpException.invalid(400, "body", "BEYOND_LENGTH", "the chunks go beyond Upload-Length;"
                    + " the chunks before this one were kept");
        }
        length = frameLength;
        left = frameLength;
        crc.reset();
        part = Part.DATA;
    }

    /** Moves bytes of {@code b} into {@link #small} until it holds {@code n}. @return whether it does (then it is reset) */
    private boolean fill(ByteBuffer b, int n) {
        int take = Math.min(n - small.position(), b.remaining());
        small.put(small.position(), b, b.position(), take).position(small.position() + take);
        b.position(b.position() + take);
        if (small.position() < n) {
            return false;
        }
        small.clear();
        return true;
    }

    /** @return the next piece of the body, waiting for one if none has arrived */
    private static Content.Chunk next(Content.Source in) throws IOException {
        while (true) {
            Content.Chunk chunk = in.read();
            if (chunk != null) {
                return chunk;
            }
            try (Blocker.Runnable arrived = Blocker.runnable()) {
                in.demand(arrived);
                arrived.block();
            }
        }
    }

    /** @return the bytes of verified chunks after the offset */
    long kept() {
        return kept;
    }

    /** @return whether reading stopped at a chunk whose CRC did not match (nothing of it kept) */
    boolean corrupt() {
        return corrupt;
    }

    /** @return the whole file's SHA-256 from the end frame, or null if the body had none */
    byte[] declaredSha256() {
        return declaredSha256;
    }
}
