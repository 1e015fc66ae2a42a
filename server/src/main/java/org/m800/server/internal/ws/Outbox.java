package org.m800.server.internal.ws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing frames of one connection, written in the order offered, from any thread. A close
 * offered after frames is sent after them. The offering thread does not write: it hands the writing to
 * the {@code writers} executor ({@link SocketWriters}: Jetty's pool, or the database's writer once its
 * batch has ended if no work waits for it), because the database's writer thread offers the answers and
 * events of a batch once it has committed and must not hold the next batch up behind a socket. At most
 * one thread writes a connection's frames at a time (the one that
 * claimed the pump), taking them from one queue, so frames of later batches never overtake earlier
 * ones, whichever pool thread writes them. Up to {@link #MAX_IN_FLIGHT} frames are handed to Jetty
 * before the first is written, and the frames found queued together (a batch's answers and events)
 * are handed over in Jetty's batch mode with a flush after the last, so a burst leaves in one write
 * instead of one write per frame. Thread-safe.
 */
final class Outbox {
    static final int MAX_IN_FLIGHT = 32;

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private record Close(int code, String reason) {
    }

    private final Wire wire;
    private final Executor writers;
    private final int limit;
    private final Deque<Object> queue = new ArrayDeque<>();
    private int inFlight;
    /** Whether a thread has claimed the right to hand this connection's frames to Jetty. */
    private boolean pumping;
    private boolean closing;

    /**
     * @param wire where the frames go
     * @param limit the most frames that may wait (bounded ones; see {@link #send})
     * @param writers runs the writes; if it rejects a task (the server is stopping) the offering thread writes
     */
    Outbox(Wire wire, int limit, Executor writers) {
        this.wire = wire;
        this.limit = limit;
        this.writers = writers;
    }

    /**
     * Queues a frame.
     *
     * @param bounded whether the slow-consumer limit applies; when it is exceeded the connection
     *        is closed with 1008 at once
     */
    void send(String frame, boolean bounded) {
        boolean claimed;
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
            claimed = claimPump();
        }
        if (claimed) {
            dispatch();
        }
    }

    /** Sends the frames already queued, then closes; later frames are dropped. */
    void close(int code, String reason) {
        boolean claimed;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(new Close(code, reason));
            claimed = claimPump();
        }
        if (claimed) {
            dispatch();
        }
    }

    /** The connection is gone: drop everything. */
    synchronized void discard() {
        closing = true;
        queue.clear();
    }

    /** Caller holds the lock. @return whether the caller now owns the pump and must run (or dispatch) it */
    private boolean claimPump() {
        if (pumping || inFlight >= MAX_IN_FLIGHT || queue.isEmpty()) {
            return false;
        }
        pumping = true;
        return true;
    }

    private void dispatch() {
        try {
            writers.execute(this::pump);
        } catch (RejectedExecutionException e) {
            pump(); // the pool is stopping: the frames still leave, from this thread
        }
    }

    /** Hands the queued frames to Jetty; the caller has claimed the pump, which this gives back. */
    private void pump() {
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
            if (next instanceof Close c) {
                wire.close(c.code(), c.reason());
                synchronized (this) {
                    queue.clear();
                    inFlight--;
                }
                unflushed = false; // closing flushes
                continue;
            }
            try {
                wire.text((String) next, more, this::written, this::failed);
                unflushed = more;
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        if (unflushed) {
            // the frame expected next was taken away (discarded, or the connection failed): send what waits
            wire.flush();
        }
    }

    private void written() {
        boolean claimed;
        synchronized (this) {
            inFlight--;
            claimed = claimPump();
        }
        if (claimed) {
            // on Jetty's thread that completed the write (or inside our own pump, which then holds the claim)
            pump();
        }
    }

    private void failed(Throwable t) {
        LOG.debug("Write failed; dropping the connection's queue", t);
        synchronized (this) {
            inFlight--;
            closing = true;
            queue.clear();
        }
    }

    /** Where an outbox writes; {@link JettyWire} in the server. Called by one thread at a time per outbox. */
    interface Wire {
        /**
         * Hands a text frame over for writing; does not wait for the socket.
         *
         * @param more whether another frame follows at once (it may wait in a buffer for it)
         * @param written called once the frame is written (maybe before this returns)
         * @param failed called instead if it cannot be
         */
        void text(String frame, boolean more, Runnable written, Consumer<Throwable> failed);

        /** Writes what waits in the buffer. */
        void flush();

        /** Starts the close handshake after the frames handed over. */
        void close(int code, String reason);
    }
}
