package org.m800.sdk.call.internal.media.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaEngineOptions;
import org.m800.sdk.call.internal.media.MediaSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media engine: two threads shared by all its sessions, whatever their number. {@code m800-media-rx-N}
 * waits on one {@link Selector} for the datagrams of every session's socket and hands each to its session
 * (SRTP check, jitter buffer, DTMF, RTCP). {@code m800-media-tick-N} paces every session on two 20 ms
 * clocks of the session's own: the send clock (read the source, encode, send one packet) starts when the
 * session starts, so the first packet leaves at once instead of at the engine's next tick, and the playout
 * clock (one frame from the jitter buffer to the sink) is moved to the arrival of the packet that lets an
 * idle jitter buffer start, so the first frame is played when it arrives instead of up to 20 ms later. The
 * thread sleeps until the earliest clock of any session is due, and is woken when a session moves a clock
 * earlier. It also sends RTCP when due and watches the media timeout. A session's state is guarded by its
 * own lock, held by those threads only for the work of one packet or one frame. {@link #close()} closes
 * every session, stops both threads and waits for them.
 */
public final class UdpMediaEngine implements MediaEngine {

    private static final Logger LOG = LoggerFactory.getLogger(UdpMediaEngine.class);
    private static final AtomicInteger ENGINES = new AtomicInteger();
    private static final int MAX_DATAGRAM = 2048;
    /** The longest the tick thread sleeps when no session is due sooner. */
    private static final long IDLE_NANOS = 20_000_000L;

    private final MediaEngineOptions options;
    private final Selector selector;
    private final Thread receiver;
    private final Thread ticker;
    private final List<RtpMediaSession> sessions = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<RtpMediaSession> toRegister = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /**
     * Starts the engine's two threads.
     *
     * @throws IOException if no selector can be opened
     */
    public UdpMediaEngine(MediaEngineOptions options) throws IOException {
        this.options = options == null ? MediaEngineOptions.DEFAULTS : options;
        int id = ENGINES.incrementAndGet();
        selector = Selector.open();
        receiver = new Thread(this::receiveLoop, "m800-media-rx-" + id);
        receiver.setDaemon(true);
        ticker = new Thread(this::tickLoop, "m800-media-tick-" + id);
        ticker.setDaemon(true);
        ticker.setPriority(Thread.MAX_PRIORITY);
        receiver.start();
        ticker.start();
    }

    @Override
    public MediaSession open(InetAddress bindAddress) throws IOException {
        if (closed) {
            throw new IOException("the media engine is closed");
        }
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.bind(new InetSocketAddress(bindAddress, 0));
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        RtpMediaSession session = new RtpMediaSession(this, channel, options);
        sessions.add(session);
        toRegister.add(session);
        selector.wakeup();
        if (closed) {
            session.close();
            throw new IOException("the media engine is closed");
        }
        return session;
    }

    /** @return the sessions open now */
    public int sessionCount() {
        return sessions.size();
    }

    void closed(RtpMediaSession session) {
        sessions.remove(session);
        selector.wakeup();
    }

    /** A session moved one of its clocks earlier: the tick thread recomputes when to wake. Any thread. */
    void wake() {
        LockSupport.unpark(ticker);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RtpMediaSession session : sessions) {
            session.close();
        }
        LockSupport.unpark(ticker);
        selector.wakeup();
        try {
            if (Thread.currentThread() != receiver) {
                receiver.join(5000);
            }
            if (Thread.currentThread() != ticker) {
                ticker.join(5000);
                if (ticker.isAlive()) {
                    LOG.warn("the media tick thread did not stop within 5 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the selector", e);
        }
    }

    /**
     * Runs each session's clocks that are due, then sleeps until the earliest next one (or a wake-up). After
     * a stall the due steps run back to back; each session skips what lies more than 100 ms behind.
     */
    private void tickLoop() {
        while (!closed) {
            long now = System.nanoTime();
            long next = now + IDLE_NANOS;
            for (RtpMediaSession session : sessions) {
                try {
                    long due = session.tick(now);
                    if (due - next < 0) {
                        next = due;
                    }
                } catch (RuntimeException | Error e) {
                    // one session's failure (a source or sink that throws) must not stop the others' audio
                    LOG.warn("media session {} failed in its 20 ms tick", session.localAddress(), e);
                }
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        byte[] array = buffer.array();
        while (!closed) {
            try {
                selector.select();
                RtpMediaSession pending;
                while ((pending = toRegister.poll()) != null) {
                    try {
                        pending.channel().register(selector, SelectionKey.OP_READ, pending);
                    } catch (ClosedChannelException e) {
                        // closed before it was registered: nothing to read
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    RtpMediaSession session = (RtpMediaSession) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    drain(session, buffer, array);
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("media receive loop", e);
                }
            }
        }
    }

    private static void drain(RtpMediaSession session, ByteBuffer buffer, byte[] array) {
        for (int i = 0; i < 64; i++) {
            buffer.clear();
            SocketAddress from;
            try {
                from = session.channel().receive(buffer);
            } catch (IOException e) {
                // ICMP port unreachable surfaces here on some systems; the next datagram is fine
                continue;
            }
            if (from == null) {
                return;
            }
            try {
                session.receive(array, buffer.position(), (InetSocketAddress) from, System.nanoTime());
            } catch (RuntimeException e) {
                LOG.warn("media session {} failed on a datagram", session.localAddress(), e);
            }
        }
    }
}
