package org.m800.server.internal.files;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;

/**
 * One writer per upload. A client starts a new PATCH only when it gave up on the previous one, so a
 * PATCH (or DELETE) that finds an older request still writing closes that request's connection (a
 * half-open connection would otherwise hold the upload until the idle timeout) and waits for it to
 * record what it received. Thread-safe.
 */
final class UploadLocks {
    /** How long a request waits for the one it ended; then it is refused as busy. */
    static final long TAKE_OVER_MS = 10_000;

    /** A held lock; {@link #close()} releases it. */
    final class Held implements AutoCloseable {
        private final String id;
        private final Request request;
        private final CountDownLatch released = new CountDownLatch(1);

        private Held(String id, Request request) {
            this.id = id;
            this.request = request;
        }

        @Override
        public void close() {
            held.remove(id, this);
            released.countDown();
        }
    }

    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    /** @return the lock, or null if another request holds it (the sweeper skips such an upload) */
    Held tryLock(String id) {
        Held mine = new Held(id, null);
        return held.putIfAbsent(id, mine) == null ? mine : null;
    }

    /**
     * Takes the lock for a request, ending an older request that holds it.
     *
     * @return the lock, or null if it could not be had within {@link #TAKE_OVER_MS}
     */
    Held takeOver(String id, Request request) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TAKE_OVER_MS);
        while (true) {
            Held mine = new Held(id, request);
            Held old = held.putIfAbsent(id, mine);
            if (old == null) {
                return mine;
            }
            if (old.request != null) {
                // its blocked read fails at once; it keeps what it received and releases the lock
                old.request.getConnectionMetaData().getConnection().getEndPoint().close();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !old.released.await(left, TimeUnit.NANOSECONDS)) {
                return null;
            }
        }
    }
}
