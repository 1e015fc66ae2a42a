package org.m800.server.internal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The disk side of a PATCH of checked chunks: the request's thread copies the chunks' data into
 * buffers off the heap ({@link #write}) and writes each full one to the upload's file, then hands it
 * to a second thread that adds it to the whole-file SHA-256 while the request's thread goes on with
 * the next. Writes are of {@value StagingBuffers#SIZE} bytes at page-aligned positions (the first is
 * cut short to reach one), so the file system neither zeroes parts of pages it is about to overwrite
 * nor takes a system call per network read; and the buffer is still in the cache of the core that
 * filled it when it is written (handing the write to the other core cost more than it saved).
 *
 * <p>The request's thread says where verified chunks end ({@link #kept}); the hasher keeps a copy of
 * the digest at each such point, so that a corrupted or cut chunk leaves the hash of the kept chunks.
 * The buffers go to the hasher strictly in order, one at a time. Used by one request thread; the
 * hasher's state is read only after {@link #close()} waited for it.
 */
final class StagedWrites implements AutoCloseable {
    private static final int PAGE = 4096;
    private static final long[] NO_MARKS = new long[0];

    private final FileChannel out;
    private final long start;
    private final Executor hasher;
    private final StagingBuffers pool;
    private final ByteBuffer[] buffers = new ByteBuffer[4];
    private final CompletableFuture<?>[] inFlight = new CompletableFuture<?>[4];
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private int slot;
    /** Bytes handed to {@link #write} so far, and where the current buffer's first one is. */
    private long staged;
    private long bufferStart;
    /** Ends of verified chunks inside (or at the start of) the current buffer. */
    private long[] marks = NO_MARKS;
    private int markCount;
    private boolean closed;
    private long written;
    private IOException failure;

    // the hasher's; read after close()
    private MessageDigest whole;
    private MessageDigest wholeAtKept;
    private long kept;

    /**
     * @param out    the upload's file
     * @param start  where in it the first byte goes (the upload's offset)
     * @param whole  the SHA-256 of the file's first {@code start} bytes, or null if unknown
     * @param hasher runs the hashing, one buffer at a time ({@code Runnable::run} does it in line)
     * @param pool   where the buffers come from and go back to
     */
    StagedWrites(FileChannel out, long start, MessageDigest whole, Executor hasher, StagingBuffers pool) {
        this.out = out;
        this.start = start;
        this.whole = whole;
        this.wholeAtKept = Digests.copy(whole);
        this.hasher = hasher;
        this.pool = pool;
    }

    /**
     * Copies the buffer's remaining bytes (it is left consumed), writing to the file each staging
     * buffer that fills up; may wait for the hasher to free a buffer.
     *
     * @throws IOException the file could not be written; nothing more is written then
     */
    void write(ByteBuffer bytes) throws IOException {
        if (failure != null) {
            throw failure;
        }
        while (bytes.hasRemaining()) {
            ByteBuffer b = current();
            int n = Math.min(b.remaining(), bytes.remaining());
            int end = bytes.position() + n;
            b.put(b.position(), bytes, bytes.position(), n).position(b.position() + n);
            bytes.position(end);
            staged += n;
            if (!b.hasRemaining()) {
                flush();
            }
        }
    }

    /** The chunks before the last byte handed in so far were verified: they are kept. */
    void kept() {
        if (markCount == marks.length) {
            marks = Arrays.copyOf(marks, Math.max(4, marks.length * 2));
        }
        marks[markCount++] = staged;
    }

    /** @return the current buffer, waiting for the hasher to be done with it first */
    private ByteBuffer current() throws IOException {
        ByteBuffer b = buffers[slot];
        if (b == null) {
            await(inFlight[slot]);
            b = buffers[slot] = pool.take();
            b.clear();
            if (staged == 0 && start % PAGE != 0) {
                // the first write ends on a page boundary, and so every later one starts on one
                b.limit((int) (b.capacity() - start % PAGE));
            }
        }
        return b;
    }

    /** Writes the current buffer to the file and hands it to the hasher, with the kept chunks' ends. */
    private void flush() throws IOException {
        ByteBuffer b = buffers[slot];
        buffers[slot] = null;
        ByteBuffer data = b == null ? ByteBuffer.allocate(0) : b.flip();
        long at = bufferStart;
        try {
            ByteBuffer w = data.duplicate();
            long position = start + at;
            while (w.hasRemaining()) {
                position += out.write(w, position);
            }
        } catch (IOException e) {
            failure = e;
            if (b != null) {
                pool.give(b);
            }
            throw e;
        }
        written = at + data.remaining();
        long[] ends = markCount == 0 ? NO_MARKS : Arrays.copyOf(marks, markCount);
        markCount = 0;
        bufferStart = staged;
        tail = tail.thenRunAsync(() -> {
            try {
                hash(data, at, ends);
            } finally {
                if (b != null) {
                    pool.give(b);
                }
            }
        }, hasher);
        inFlight[slot] = tail;
        slot = (slot + 1) % buffers.length;
    }

    /** On the hasher: the buffer to the digest, keeping a copy at every kept chunk's end. */
    private void hash(ByteBuffer data, long at, long[] ends) {
        int from = 0;
        for (long end : ends) {
            int to = (int) (end - at);
            if (whole != null) {
                whole.update(data.slice(from, to - from));
                wholeAtKept = Digests.copy(whole);
            }
            kept = end;
            from = to;
        }
        if (whole != null) {
            whole.update(data.slice(from, data.remaining() - from));
        }
    }

    /**
     * Writes the last buffer, hands it (and the last kept chunks) to the hasher and waits until it
     * has hashed everything; the buffers go back to the pool. Never throws: {@link #failure()} tells.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (failure == null && (buffers[slot] != null || markCount > 0)) {
            try {
                flush();
            } catch (IOException e) {
                // kept in failure
            }
        }
        try {
            tail.join();
        } catch (CompletionException e) {
            if (failure == null) {
                failure = new IOException("hashing the upload failed", e.getCause());
            }
        }
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] != null) {
                pool.give(buffers[i]);
                buffers[i] = null;
            }
        }
    }

    /**
     * @return after {@link #close()}: the bytes of verified chunks written after the start (after a
     *         failed write, those of the buffers written before it)
     */
    long keptBytes() {
        return kept;
    }

    /** @return after {@link #close()}: the bytes written after the start (verified or not) */
    long writtenBytes() {
        return written;
    }

    /** @return after {@link #close()}: the SHA-256 of the file's first start + {@link #keptBytes()} bytes, or null if unknown */
    MessageDigest whole() {
        return wholeAtKept;
    }

    /** @return after {@link #close()}: why writing stopped (a disk error), or null */
    IOException failure() {
        return failure;
    }

    private static void await(CompletableFuture<?> f) throws IOException {
        if (f == null) {
            return;
        }
        try {
            f.join();
        } catch (CompletionException e) {
            throw new IOException("hashing the upload failed", e.getCause());
        }
    }
}
