package org.m800.server.internal.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without holding a thread while the client is slow: each chunk is taken when
 * Jetty has it, and the reader asks to be called again ({@link Request#demand}) otherwise. Keeps up to
 * {@code keep} bytes; reads and drops up to {@code drop} more, so that a too large body can still be
 * answered with a 413 the client receives (closing a connection with unread bytes resets it); stops
 * reading beyond that. Not thread-safe: Jetty calls one demand at a time.
 */
final class BodyReader {
    /** What was read. */
    record Body(byte[] bytes, boolean tooLarge) {
    }

    private final Request request;
    private final int keep;
    private final long drop;
    private final BiConsumer<Body, Throwable> done;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long dropped;

    private BodyReader(Request request, int keep, long drop, BiConsumer<Body, Throwable> done) {
        this.request = request;
        this.keep = keep;
        this.drop = drop;
        this.done = done;
    }

    /**
     * Starts reading; {@code done} is called once, with the body or with the failure of the connection,
     * on the caller's thread or on one of Jetty's.
     */
    static void read(Request request, int keep, long drop, BiConsumer<Body, Throwable> done) {
        new BodyReader(request, keep, drop, done).next();
    }

    private void next() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this::next);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.accept(null, chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            int n = bytes.remaining();
            if (dropped == 0 && kept.size() + n <= keep) {
                byte[] copy = new byte[n];
                bytes.get(copy);
                kept.write(copy, 0, n);
            } else {
                dropped += n;
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                done.accept(dropped > 0 ? new Body(null, true) : new Body(kept.toByteArray(), false), null);
                return;
            }
            if (dropped > drop) {
                done.accept(new Body(null, true), null); // the rest stays unread: the connection is closed
                return;
            }
        }
    }
}
