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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaEngineOptions;
import org.m800.sdk.call.internal.media.MediaSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media engine: two threads shared by all its sessions, whatever their number. {@code m800-media-rx-N}
 * waits on one {@link Selector} for the datagrams of every session's socket and hands each to its session
 * (SRTP check, jitter buffer, DTMF, RTCP). {@code m800-media-tick-N} runs every 20 ms and has each session
 * read its source, encode and send one packet, and play one frame from its jitter buffer to its sink (the
 * pacing of sending and playout alike), send RTCP when due, and watch the media timeout. A session's state
 * is guarded by its own lock, held by those threads only for the work of one packet or one frame.
 * {@link #close()} closes every session, stops both threads and waits for them.
 */
public final class UdpMediaEngine implements MediaEngine {

    private static final Logger LOG = LoggerFactory.getLogger(UdpMediaEngine.class);
    private static final AtomicInteger ENGINES = new AtomicInteger();
    private static final int MAX_DATAGRAM = 2048;
    private static final long PERIOD_NANOS = 20_000_000L;
    /** How far the tick thread may fall behind (a starved or paused JVM) before it skips instead of catching up. */
    private static final long MAX_BEHIND_TICKS = 5;

    private final MediaEngineOptions options;
    private final Selector selector;
    private final Thread receiver;
    private final ScheduledThreadPoolExecutor ticker;
    private final List<Thread> tickThreads = new CopyOnWriteArrayList<>();
    private final List<RtpMediaSession> sessions = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<RtpMediaSession> toRegister = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private final long startNanos = System.nanoTime();
    private long ticksDone; // tick thread only

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
        ticker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "m800-media-tick-" + id);
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            tickThreads.add(t);
            return t;
        });
        ticker.setRemoveOnCancelPolicy(true);
        receiver.start();
        ticker.scheduleAtFixedRate(this::tick, 20, 20, TimeUnit.MILLISECONDS);
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

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RtpMediaSession session : sessions) {
            session.close();
        }
        ticker.shutdownNow();
        selector.wakeup();
        try {
            if (Thread.currentThread() != receiver) {
                receiver.join(5000);
            }
            if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the media tick thread did not stop within 5 s");
            }
            for (Thread t : tickThreads) {
                if (t != Thread.currentThread()) {
                    t.join(5000);
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
     * One 20 ms step of every session. A fixed-rate schedule runs missed steps back to back after a stall;
     * up to 100 ms of them are caught up (a short burst the far jitter buffer absorbs), beyond that they are
     * skipped: the streams' clocks jump ahead instead of flooding the network and the sinks.
     */
    private void tick() {
        long now = System.nanoTime();
        long due = (now - startNanos) / PERIOD_NANOS;
        if (ticksDone >= due) {
            return; // a backlog run after a skip
        }
        long behind = due - ticksDone;
        if (behind > MAX_BEHIND_TICKS) {
            long skipped = behind - 1;
            ticksDone += skipped;
            for (RtpMediaSession session : sessions) {
                session.skip(skipped);
            }
        }
        ticksDone++;
        for (RtpMediaSession session : sessions) {
            try {
                session.tick(now);
            } catch (RuntimeException | Error e) {
                // one session's failure (a source or sink that throws) must not stop the others' audio
                LOG.warn("media session {} failed in its 20 ms tick", session.localAddress(), e);
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
