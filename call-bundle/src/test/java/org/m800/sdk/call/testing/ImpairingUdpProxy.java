package org.m800.sdk.call.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP proxy between two media endpoints that loses and delays datagrams, for tests: what A sends to
 * {@link #addressForA()} goes to B from {@link #addressForB()}, and the other way round. Each datagram is
 * dropped with probability {@code loss} and otherwise delayed by a uniform random 0..{@code jitterMs} ms
 * (so datagrams get reordered), from a seeded {@link Random}, so a run is repeatable; {@link #impair} changes
 * the loss and jitter and adds a fixed delay while it runs. It remembers the
 * last datagram towards B so that a test can replay it, and can inject datagrams of its own. Closing it
 * stops its threads and closes its sockets.
 */
public final class ImpairingUdpProxy implements AutoCloseable {

    private final DatagramSocket facingA;
    private final DatagramSocket facingB;
    private final InetSocketAddress a;
    private final InetSocketAddress b;
    private volatile double loss;
    private volatile int jitterMs;
    private volatile int delayMs;
    private final Random random;
    private final ScheduledThreadPoolExecutor delayer;
    private final Thread fromA;
    private final Thread fromB;
    private final AtomicLong forwardedToB = new AtomicLong();
    private final AtomicLong droppedToB = new AtomicLong();
    private final AtomicLong forwardedToA = new AtomicLong();
    private final AtomicLong droppedToA = new AtomicLong();
    private volatile byte[] lastToB;
    private volatile boolean closed;

    /**
     * @param a        endpoint A's address
     * @param b        endpoint B's address
     * @param loss     the probability of dropping a datagram, 0..1
     * @param jitterMs the largest added delay
     * @param seed     the random seed
     */
    public ImpairingUdpProxy(InetSocketAddress a, InetSocketAddress b, double loss, int jitterMs, long seed)
            throws SocketException {
        this.a = a;
        this.b = b;
        this.loss = loss;
        this.jitterMs = jitterMs;
        this.random = new Random(seed);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        facingA = new DatagramSocket(new InetSocketAddress(loopback, 0));
        facingB = new DatagramSocket(new InetSocketAddress(loopback, 0));
        delayer = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "test-proxy-delay"));
        fromA = new Thread(() -> pump(facingA, facingB, b, true), "test-proxy-from-a");
        fromB = new Thread(() -> pump(facingB, facingA, a, false), "test-proxy-from-b");
        fromA.start();
        fromB.start();
    }

    /**
     * Changes the impairment of the datagrams that arrive from now on, both ways.
     *
     * @param newLoss     the probability of dropping a datagram, 0..1
     * @param newJitterMs the largest random delay added on top of {@code newDelayMs}
     * @param newDelayMs  a delay added to every datagram (raises the round-trip time by twice this)
     */
    public void impair(double newLoss, int newJitterMs, int newDelayMs) {
        loss = newLoss;
        jitterMs = newJitterMs;
        delayMs = newDelayMs;
    }

    /** @return where A sends (A's negotiated remote address) */
    public InetSocketAddress addressForA() {
        return (InetSocketAddress) facingA.getLocalSocketAddress();
    }

    /** @return where B sends (B's negotiated remote address) */
    public InetSocketAddress addressForB() {
        return (InetSocketAddress) facingB.getLocalSocketAddress();
    }

    private void pump(DatagramSocket in, DatagramSocket out, InetSocketAddress to, boolean towardsB) {
        byte[] buf = new byte[2048];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                in.receive(packet);
            } catch (IOException e) {
                return;
            }
            byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
            boolean drop;
            int delay;
            synchronized (random) {
                drop = random.nextDouble() < loss;
                int jitter = jitterMs;
                delay = delayMs + (jitter > 0 ? random.nextInt(jitter + 1) : 0);
            }
            if (towardsB) {
                lastToB = data;
            }
            if (drop) {
                (towardsB ? droppedToB : droppedToA).incrementAndGet();
                continue;
            }
            (towardsB ? forwardedToB : forwardedToA).incrementAndGet();
            if (delay == 0) {
                send(out, data, to);
            } else {
                try {
                    delayer.schedule(() -> send(out, data, to), delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return; // closing
                }
            }
        }
    }

    private static void send(DatagramSocket out, byte[] data, InetSocketAddress to) {
        try {
            out.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            // closed while a delayed datagram was pending
        }
    }

    /** Sends {@code data} to B from the proxy's address (as if A had sent it). */
    public void injectToB(byte[] data) throws IOException {
        facingB.send(new DatagramPacket(data, data.length, b));
    }

    /** @return a copy of the last datagram A sent towards B, or {@code null} */
    public byte[] lastToB() {
        byte[] last = lastToB;
        return last == null ? null : last.clone();
    }

    /** @return the fraction of A's datagrams dropped so far */
    public double lossTowardsB() {
        long dropped = droppedToB.get();
        long all = dropped + forwardedToB.get();
        return all == 0 ? 0 : (double) dropped / all;
    }

    /** @return the fraction of B's datagrams dropped so far */
    public double lossTowardsA() {
        long dropped = droppedToA.get();
        long all = dropped + forwardedToA.get();
        return all == 0 ? 0 : (double) dropped / all;
    }

    @Override
    public void close() {
        closed = true;
        facingA.close();
        facingB.close();
        delayer.shutdownNow();
        try {
            fromA.join(5000);
            fromB.join(5000);
            delayer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
