package org.m800.sdk.chat;

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
 * A TCP relay on a free port of 127.0.0.1 in front of the reference server. {@link #resetAll()}
 * resets every connection it relays (an RST to both sides, as a NAT box or a flaky network does);
 * new connections are relayed again at once. {@link #close()} closes every socket and waits for its
 * threads.
 */
final class ResettingProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object lock = new Object();
    private boolean closed;
    private int resets;

    ResettingProxy(URI target) throws IOException {
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

    /** Resets every relayed connection. */
    void resetAll() {
        List<Socket> now;
        synchronized (lock) {
            now = new ArrayList<>(sockets);
            sockets.clear();
            resets++;
        }
        for (Socket s : now) {
            try {
                s.setSoLinger(true, 0); // close() then sends an RST
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    /** @return how many times {@link #resetAll()} ran */
    int resets() {
        synchronized (lock) {
            return resets;
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
                threads.add(pump(client, upstream));
                threads.add(pump(upstream, client));
            }
        }
    }

    private Thread pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // reset or closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "test-proxy-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<Thread> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(threads);
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        resetAll();
        acceptor.join(TimeUnit.SECONDS.toMillis(10));
        for (Thread t : all) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

}
