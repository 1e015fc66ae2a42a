package org.m800.sdk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, for network faults: it counts the bytes each way,
 * cuts connections after a random number of bytes (while cuts are left) or all at once
 * ({@link #cutAll()}), resets them all (an RST to both sides, as a NAT box or a flaky network does:
 * {@link #resetAll()}), turns into a black hole (a network that died: {@link #blackHole()}), and can
 * slow the bytes down. Closes every socket and thread it opened on {@link #close()}. Shared by the
 * feature bundles' tests (core's test jar): one proxy, no copies.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Random random;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    public final AtomicLong upstream = new AtomicLong();
    public final AtomicLong downstream = new AtomicLong();
    public final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    /** Nothing passes and nothing is closed, for connections open now and made later. */
    private volatile boolean blackHole;
    private final AtomicInteger cutsLeft = new AtomicInteger();
    private volatile long minBudget;
    private volatile long maxBudget;
    /** Bytes per second each way per connection, 0 for no limit. */
    private volatile long rate;
    private volatile boolean closed;

    /** @param server the server's URI (host and port are used) @param seed of the random cut points */
    public TcpProxy(URI server, long seed) throws IOException {
        this.target = new InetSocketAddress(server.getHost(), server.getPort());
        this.random = new Random(seed);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "test-proxy-accept");
        accept.setDaemon(true);
        threads.add(accept);
        accept.start();
    }

    /** @return {@code http://127.0.0.1:<port>} of the proxy */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** @return {@code ws://127.0.0.1:<port>/v1/im}: the IM endpoint through the proxy */
    public URI imUri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/v1/im");
    }

    /** @return the proxy's port on 127.0.0.1 */
    public int port() {
        return server.getLocalPort();
    }

    /** From now on, the next {@code count} connections are cut after a random number of bytes in [min, max]. */
    public void cut(int count, long min, long max) {
        minBudget = min;
        maxBudget = max;
        cutsLeft.set(count);
    }

    /** Slows each connection to this many bytes per second each way; 0 for no limit. */
    public void rate(long bytesPerSecond) {
        rate = bytesPerSecond;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (blackHole) {
                    // swallowed: read and dropped, never answered, never closed
                    sockets.add(client);
                    pump(client, null, upstream, new AtomicLong(Long.MAX_VALUE));
                    continue;
                }
                Socket upstreamSocket = new Socket();
                upstreamSocket.connect(target, 5_000);
                sockets.add(client);
                sockets.add(upstreamSocket);
                long budget;
                synchronized (random) {
                    budget = cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                            ? minBudget + (long) (random.nextDouble() * (maxBudget - minBudget))
                            : Long.MAX_VALUE;
                }
                AtomicLong left = new AtomicLong(budget);
                pump(client, upstreamSocket, upstream, left);
                pump(upstreamSocket, client, downstream, left);
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter, AtomicLong left) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to == null ? null : to.getOutputStream()) {
                long start = System.nanoTime();
                long sent = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (blackHole || out == null) {
                        continue;
                    }
                    long budget = left.addAndGet(-n);
                    if (budget < 0) {
                        int part = (int) (n + budget);
                        if (part > 0) {
                            out.write(buf, 0, part);
                            counter.addAndGet(part);
                        }
                        cuts.incrementAndGet();
                        break;
                    }
                    out.write(buf, 0, n);
                    counter.addAndGet(n);
                    sent += n;
                    long r = rate;
                    if (r > 0) {
                        long due = start + sent * 1_000_000_000L / r;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed, or we did
            } finally {
                if (!blackHole || closed) {
                    closeQuietly(from);
                    if (to != null) {
                        closeQuietly(to);
                    }
                }
            }
        }, "test-proxy-pump");
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Drops every connection through the proxy at once (no close handshake); new ones are accepted. */
    public void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Resets every connection through the proxy (an RST to both sides); new ones are relayed again at once. */
    public void resetAll() {
        resets.incrementAndGet();
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0); // close() then sends an RST
            } catch (IOException e) {
                // already gone
            }
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** @return how many times {@link #resetAll()} ran */
    public int resets() {
        return resets.get();
    }

    /**
     * From now on nothing passes, in either direction, and nothing is closed, so neither side gets a close
     * frame or a reset; connections made afterwards are swallowed the same way.
     */
    public void blackHole() {
        blackHole = true;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        sockets.forEach(TcpProxy::closeQuietly);
        try {
            for (Thread t : threads) {
                t.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
