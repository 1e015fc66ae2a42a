package org.m800.sdk.contacts;

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
 * A TCP relay on a free port of 127.0.0.1 in front of the reference server. {@link #cut()} makes it a
 * black hole, like a network that died: bytes in both directions are read and dropped, no socket is
 * closed, so neither side gets a close frame or a reset; connections made afterwards are swallowed the
 * same way. {@link #close()} closes every socket and waits for its threads.
 */
final class BlackHoleProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object lock = new Object();
    private volatile boolean cut;
    // guarded by lock
    private boolean closed;

    BlackHoleProxy(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the WebSocket URI of the IM endpoint through the proxy */
    URI imUri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/v1/im");
    }

    /** From now on nothing passes, in either direction, and nothing is closed. */
    void cut() {
        cut = true;
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
                if (!cut) {
                    upstream.connect(target, 5_000);
                }
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
                start(new Thread(() -> pump(client, upstream), "test-proxy-up"));
                if (upstream.isConnected()) {
                    start(new Thread(() -> pump(upstream, client), "test-proxy-down"));
                }
            }
        }
    }

    private void start(Thread t) {
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.isConnected() ? to.getOutputStream() : null;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!cut && out != null) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            if (!cut) {
                closeQuietly(to);
            }
        } catch (IOException ended) {
            // a side closed, or the proxy did
        } finally {
            if (!cut) {
                closeQuietly(from);
            }
        }
    }

    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (lock) {
            closed = true;
            closeQuietly(server);
            sockets.forEach(BlackHoleProxy::closeQuietly);
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
