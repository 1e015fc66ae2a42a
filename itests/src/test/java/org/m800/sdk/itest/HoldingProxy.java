package org.m800.sdk.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on a free port of 127.0.0.1 in front of the reference server, so a test can keep a
 * client's request pending for as long as it wants: while {@link #hold() held}, bytes from clients are
 * read but not passed on until {@link #release()}; {@link #awaitHeld} is the sync point "a request is
 * in flight". Answers always pass. Plain {@code java.net} (no class of the server or of Jetty), so it
 * runs inside the framework; its threads are named {@code itest-proxy-*}. {@link #close()} closes every
 * socket and waits for its threads.
 */
final class HoldingProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object lock = new Object();
    // guarded by lock
    private boolean held;
    private long heldBytes;
    private boolean closed;

    /** Starts relaying to {@code target} (an {@code http://host:port} origin). */
    HoldingProxy(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "itest-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the proxy's origin, {@code http://127.0.0.1:<port>} */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** From now on, bytes from clients wait in the proxy. */
    void hold() {
        synchronized (lock) {
            held = true;
            heldBytes = 0;
        }
    }

    /** Passes on what waits and everything after it. */
    void release() {
        synchronized (lock) {
            held = false;
            lock.notifyAll();
        }
    }

    /**
     * Waits until a client has sent bytes that the proxy holds back (a request is in flight and the
     * server has not seen it).
     *
     * @return how many bytes are held
     */
    long awaitHeld(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (lock) {
            while (heldBytes == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no request reached the proxy (held: " + held + ") within " + seconds + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return heldBytes;
        }
    }

    private void accept() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closedServer) {
                return;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            synchronized (lock) {
                if (closed) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    return;
                }
                sockets.add(client);
                sockets.add(upstream);
                start(new Thread(() -> pump(client, upstream, true), "itest-proxy-up"));
                start(new Thread(() -> pump(upstream, client, false), "itest-proxy-down"));
            }
        }
    }

    private void start(Thread t) {
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (fromClient) {
                    synchronized (lock) {
                        if (held) {
                            heldBytes += n;
                            lock.notifyAll();
                        }
                        while (held && !closed) {
                            lock.wait();
                        }
                        if (closed) {
                            return;
                        }
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // a side closed, or the proxy did
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (lock) {
            closed = true;
            held = false;
            lock.notifyAll();
            closeQuietly(server);
            sockets.forEach(HoldingProxy::closeQuietly);
            toJoin = new ArrayList<>(threads);
        }
        toJoin.add(acceptor);
        for (Thread t : toJoin) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the proxy closed", e);
            }
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " of the proxy did not end");
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
