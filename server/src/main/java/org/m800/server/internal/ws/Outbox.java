package org.m800.server.internal.ws;

import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing frames of one connection, written in the order offered, from any thread. A close
 * offered after frames is sent after them. Up to {@link #MAX_IN_FLIGHT} frames are handed to Jetty
 * before the first is written, so that a burst leaves in a few large writes instead of one write per
 * frame. Thread-safe.
 */
final class Outbox {
    static final int MAX_IN_FLIGHT = 32;

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private record Close(int code, String reason) {
    }

    private final Session session;
    private final int limit;
    private final Deque<Object> queue = new ArrayDeque<>();
    private int inFlight;
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
                if (inFlight >= MAX_IN_FLIGHT || queue.isEmpty()) {
                    pumping = false;
                    return;
                }
                next = queue.poll();
                inFlight++;
            }
            if (next instanceof Close c) {
                session.close(c.code(), c.reason(), Callback.NOOP);
                synchronized (this) {
                    queue.clear();
                    inFlight--;
                }
            } else {
                session.sendText((String) next, Callback.from(this::written, this::failed));
            }
        }
    }

    private void written() {
        synchronized (this) {
            inFlight--;
        }
        pump();
    }

    private void failed(Throwable t) {
        LOG.debug("Write failed; dropping the connection's queue", t);
        synchronized (this) {
            inFlight--;
            closing = true;
            queue.clear();
        }
    }
}
