package org.m800.server.internal.ws;

import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing frames of one connection, written in the order offered, from any thread. A close
 * offered after frames is sent after them. Up to {@link #MAX_IN_FLIGHT} frames are handed to Jetty
 * before the first is written, and the frames found queued together (the answers and events of one
 * group-commit batch, say) are handed over in Jetty's batch mode with a flush after the last, so a burst
 * leaves in one write instead of one write per frame. Thread-safe.
 */
final class Outbox {
    static final int MAX_IN_FLIGHT = 32;

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private record Close(int code, String reason) {
    }

    private final Session session;
    /** Jetty's session below the API one, for batch mode; null if the API session is another kind. */
    private final CoreSession core;
    private final int limit;
    private final Deque<Object> queue = new ArrayDeque<>();
    private int inFlight;
    private boolean pumping;
    private boolean closing;

    Outbox(Session session, int limit) {
        this.session = session;
        this.limit = limit;
        this.core = session instanceof WebSocketSession ws ? ws.getCoreSession() : null;
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
        boolean unflushed = false;
        while (true) {
            Object next;
            boolean more;
            synchronized (this) {
                if (inFlight >= MAX_IN_FLIGHT || queue.isEmpty()) {
                    pumping = false;
                    break;
                }
                next = queue.poll();
                inFlight++;
                // another frame follows at once: let this one wait in Jetty's buffer for it
                more = inFlight < MAX_IN_FLIGHT && queue.peek() instanceof String;
            }
            if (next instanceof String text && core != null) {
                Frame frame = new Frame(OpCode.TEXT).setPayload(text);
                core.sendFrame(frame, org.eclipse.jetty.util.Callback.from(this::written, this::failed), more);
                unflushed = more;
                continue;
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
        if (unflushed) {
            // the frame expected next was taken away (discarded, or the connection failed): send what waits
            core.flush(org.eclipse.jetty.util.Callback.NOOP);
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
