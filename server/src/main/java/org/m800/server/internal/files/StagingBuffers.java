package org.m800.server.internal.files;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The staging buffers of uploads ({@link StagedWrites}): {@value #SIZE} bytes each, off the heap (the
 * file channel writes from them without another copy), reused across requests. At most
 * {@value #RETAINED} are kept while idle; more are made when many uploads run at once and left to
 * the garbage collector afterwards. Thread-safe.
 */
final class StagingBuffers {
    /** The size of one buffer, and of one write to a file. */
    static final int SIZE = 256 * 1024;
    /** How many idle buffers are kept. */
    static final int RETAINED = 16;

    private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /** @return a buffer of {@link #SIZE} bytes (its content is whatever it held before) */
    ByteBuffer take() {
        ByteBuffer b = idle.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(SIZE);
        }
        idleCount.decrementAndGet();
        return b;
    }

    /** Gives a buffer back; the caller no longer touches it. */
    void give(ByteBuffer b) {
        if (idleCount.incrementAndGet() <= RETAINED) {
            idle.offer(b.clear());
        } else {
            idleCount.decrementAndGet();
        }
    }
}
