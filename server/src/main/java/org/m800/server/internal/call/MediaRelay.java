package org.m800.server.internal.call;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media relay: two UDP ports per call (one towards each party), bound within a configured range,
 * served by one thread. A packet that arrives on one leg leaves through the other leg's socket, so each
 * party sends to and receives from the same relay port (symmetric RTP). A leg learns its party's
 * address from the first packet it receives once the call is answered (latching, so a party behind NAT
 * works whatever its SDP says); from then on packets from any other address are dropped. Until its
 * party's first packet a leg sends to the address of that party's SDP. Packets are forwarded byte for
 * byte: SRTP stays end to end, the relay holds no key.
 */
final class MediaRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaRelay.class);
    private static final int MAX_DATAGRAM = 2_048;

    private final InetAddress bindAddress;
    private final String host;
    private final int portMin;
    private final int portMax;
    private final Selector selector;
    private final Thread thread;
    private final Queue<Leg> toRegister = new ConcurrentLinkedQueue<>();
    private int nextPort;
    private volatile boolean closed;

    MediaRelay(String host, int portMin, int portMax) throws IOException {
        this.host = host;
        this.bindAddress = InetAddress.getByName(host);
        this.portMin = portMin;
        this.portMax = portMax;
        this.nextPort = portMin;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, "m800-server-media-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the address written into SDP */
    String host() {
        return host;
    }

    /**
     * Binds the two legs of a call on free ports of the range. Any thread.
     *
     * @throws IOException if the range has no two free ports
     */
    Pair open() throws IOException {
        Leg a = bind();
        Leg b;
        try {
            b = bind();
        } catch (IOException e) {
            a.close();
            throw e;
        }
        Pair pair = new Pair(a, b);
        toRegister.add(a);
        toRegister.add(b);
        selector.wakeup();
        return pair;
    }

    private Leg bind() throws IOException {
        int size = portMax - portMin + 1;
        for (int tries = 0; tries < size; tries++) {
            int port;
            synchronized (this) {
                port = nextPort;
                nextPort = nextPort >= portMax ? portMin : nextPort + 1;
            }
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.bind(new InetSocketAddress(bindAddress, port));
                ch.configureBlocking(false);
                return new Leg(ch, port);
            } catch (BindException e) {
                ch.close();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
        throw new IOException("no free UDP port in the relay range " + portMin + ".." + portMax);
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (!closed) {
            try {
                selector.select(1_000);
                Leg leg;
                while ((leg = toRegister.poll()) != null) {
                    if (leg.channel.isOpen()) {
                        leg.channel.register(selector, SelectionKey.OP_READ, leg);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        drain((Leg) key.attachment(), buffer);
                    }
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("The media relay loop failed once; it goes on", e);
                }
            }
        }
    }

    private static void drain(Leg leg, ByteBuffer buffer) {
        for (int i = 0; i < 64; i++) {
            buffer.clear();
            SocketAddress from;
            try {
                from = leg.channel.receive(buffer);
            } catch (IOException e) {
                return;
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            leg.received(buffer, (InetSocketAddress) from);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("Closing the relay selector", e);
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Leg leg;
        while ((leg = toRegister.poll()) != null) {
            leg.close();
        }
    }

    /** The two legs of one call: {@code a} towards the caller, {@code b} towards the callee. */
    static final class Pair implements AutoCloseable {
        final Leg a;
        final Leg b;

        Pair(Leg a, Leg b) {
            this.a = a;
            this.b = b;
            a.other = b;
            b.other = a;
        }

        /** Starts forwarding (the call is answered): legs latch from now on. */
        void start(long nowNanos) {
            a.lastReceivedNanos = nowNanos;
            b.lastReceivedNanos = nowNanos;
            a.forwarding = true;
            b.forwarding = true;
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    /** One relay port and what it knows of its party. Counters for tests and benchmarks. */
    static final class Leg {
        final DatagramChannel channel;
        final int port;
        final AtomicLong forwarded = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        volatile Leg other;
        volatile boolean forwarding;
        /** where the party's SDP says it receives (resolved), until a packet of it arrives */
        volatile InetSocketAddress declared;
        /** the party's address as its first packet showed it; only the relay thread writes it */
        volatile InetSocketAddress latched;
        volatile long lastReceivedNanos = System.nanoTime();

        Leg(DatagramChannel channel, int port) {
            this.channel = channel;
            this.port = port;
        }

        /** On the relay thread. */
        void received(ByteBuffer packet, InetSocketAddress from) {
            if (!forwarding) {
                dropped.incrementAndGet();
                return;
            }
            InetSocketAddress party = latched;
            if (party == null) {
                latched = from;
            } else if (!party.equals(from)) {
                dropped.incrementAndGet();
                return;
            }
            lastReceivedNanos = System.nanoTime();
            Leg out = other;
            InetSocketAddress to = out.latched != null ? out.latched : out.declared;
            if (to == null) {
                dropped.incrementAndGet();
                return;
            }
            try {
                out.channel.send(packet, to);
                forwarded.incrementAndGet();
            } catch (IOException e) {
                dropped.incrementAndGet();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing a relay port", e);
            }
        }
    }
}
