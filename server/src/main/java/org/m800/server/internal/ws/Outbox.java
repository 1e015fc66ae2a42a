package org.m800.server.internal.ws;

import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing frames of one connection, written one at a time in the order offered, from any
 * thread. A close offered after frames is sent after them. Thread-safe.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private record Close(int code, String reason) {
    }

    private final Session session;
    private final int limit;
    private final Deque<Object> queue = new ArrayDeque<>();
    private boolean inFlight;
    private boolean pumping;
    private boolean closing;

    Outbox(Session session, int limit) {
        this.session = session;
        this.limit = limit;
    }

    /**
     * Queues a frame.
     *
     * @param bounded whether the slow-consumer limit applies; when it is exceeded the connection
     *        is closed with 1008 at once
     */
    void send(String frame, boolean bounded) {
        synchronized (this) {
            if (closing) {
                return;
            }
            if (bounded && queue.size() >= limit) {
                queue.clear();
                closing = true;
                queue.add(new Close(1008, "slow consumer"));
                LOG.info("Closing a connection that reads too slowly");
            } else {
                queue.add(frame);
            }
        }
        pump();
    }

    /** Sends the frames already queued, then closes; later frames are dropped. */
    void close(int code, String reason) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(new Close(code, reason));
        }
        pump();
    }

    /** The connection is gone: drop everything. */
    synchronized void discard() {
        closing = true;
        queue.clear();
    }

    private void pump() {
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            Object next;
            synchronized (this) {
                if (inFlight || queue.isEmpty()) {
                    pumping = false;
                    return;
                }
                next = queue.poll();
                inFlight = true;
            }
            if (next instanceof Close c) {
                session.close(c.code(), c.reason(), Callback.NOOP);
                synchronized (this) {
                    queue.clear();
                    inFlight = false;
                }
            } else {
                session.sendText((String) next, Callback.from(this::written, this::failed));
            }
        }
    }

    private void written() {
        synchronized (this) {
            inFlight = false;
        }
        pump();
    }

    private void failed(Throwable t) {
        LOG.debug("Write failed; dropping the connection's queue", t);
        synchronized (this) {
            inFlight = false;
            closing = true;
            queue.clear();
        }
    }
}
