package org.m800.sdk.benchmarks;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * W7: the raw ceiling. A bare Jetty 12 WebSocket server that echoes every text message, and a bare
 * Jetty WebSocket client, on loopback in this JVM, with ~100-byte messages: no SDK, no JSON, no
 * storage. An echo crosses the loopback twice, like a message from A through the server to B, so
 * its throughput and round trip sit beside W1 and W2.
 *
 * <p>Throughput: messages sent with at most {@value #WINDOW} in flight; the client checks that the
 * echoes come back complete and in order. Latency: one message at a time; the server records the
 * one-way time (client send to server receive, same JVM clock) and the client the round trip.
 */
final class W7JettyEcho implements Workload {

    static final int MESSAGE_BYTES = 100;
    static final int WINDOW = 256;
    static final int THROUGHPUT_MESSAGES = 200_000;
    static final int THROUGHPUT_RUNS = 3;
    static final int LATENCY_MESSAGES = 5_000;
    static final int LATENCY_RUNS = 3;

    @Override
    public String id() {
        return "W7";
    }

    @Override
    public String title() {
        return "raw ceiling: bare Jetty WebSocket echo on loopback, " + MESSAGE_BYTES + "-byte messages";
    }

    /** Echoes text; in latency mode records client-send to server-receive times. */
    public static final class EchoEndpoint implements Session.Listener.AutoDemanding {
        static volatile long[] oneWay;
        private Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            this.session = s;
        }

        @Override
        public void onWebSocketText(String text) {
            long now = System.nanoTime();
            long[] sink = oneWay;
            if (sink != null) {
                int c1 = text.indexOf(':');
                int c2 = text.indexOf(':', c1 + 1);
                int seq = Integer.parseInt(text, 0, c1, 10);
                long sent = Long.parseLong(text, c1 + 1, c2, 10);
                if (seq >= 0 && seq < sink.length) {
                    sink[seq] = now - sent;
                }
            }
            session.sendText(text, Callback.NOOP);
        }
    }

    /** The client side: counts echoes, checks their order. */
    public static final class ClientEndpoint implements Session.Listener.AutoDemanding {
        volatile Semaphore window;
        volatile int expected;
        volatile CompletableFuture<Void> done;
        volatile CompletableFuture<Long> echo;
        final AtomicReference<String> error = new AtomicReference<>();
        volatile int total;

        @Override
        public void onWebSocketText(String text) {
            CompletableFuture<Long> e = echo;
            if (e != null) {
                e.complete(System.nanoTime());
                return;
            }
            int seq = Integer.parseInt(text, 0, text.indexOf(':'), 10);
            if (seq != expected) {
                error.compareAndSet(null, "echo " + seq + " arrived when " + expected + " was expected");
            }
            expected = seq + 1;
            if (text.length() != MESSAGE_BYTES) {
                error.compareAndSet(null, "echo " + seq + " has " + text.length() + " characters");
            }
            window.release();
            if (expected == total) {
                done.complete(null);
            }
        }
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        QueuedThreadPool serverThreads = new QueuedThreadPool(16, 2);
        serverThreads.setName("w7-server");
        Server server = new Server(serverThreads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context,
                container -> container.addMapping("/echo", (rq, rs, cb) -> new EchoEndpoint()));
        context.setHandler(ws);
        server.setHandler(context);
        HttpClient http = new HttpClient();
        QueuedThreadPool clientThreads = new QueuedThreadPool(16, 2);
        clientThreads.setName("w7-client");
        http.setExecutor(clientThreads);
        WebSocketClient client = new WebSocketClient(http);
        List<Result> rows = new ArrayList<>();
        try {
            server.start();
            client.start();
            ClientEndpoint endpoint = new ClientEndpoint();
            URI uri = URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/echo");
            Session session = client.connect(endpoint, uri).get(10, TimeUnit.SECONDS);

            throughput(session, endpoint, 50_000); // warm-up
            double[] rates = new double[THROUGHPUT_RUNS];
            for (int r = 0; r < THROUGHPUT_RUNS; r++) {
                rates[r] = throughput(session, endpoint, THROUGHPUT_MESSAGES);
            }

            latency(session, endpoint, LATENCY_MESSAGES, new double[LATENCY_MESSAGES], new double[LATENCY_MESSAGES]);
            double[] oneWay = new double[LATENCY_MESSAGES * LATENCY_RUNS];
            double[] rtt = new double[LATENCY_MESSAGES * LATENCY_RUNS];
            double[] runP50 = new double[LATENCY_RUNS];
            double[] runP99 = new double[LATENCY_RUNS];
            for (int r = 0; r < LATENCY_RUNS; r++) {
                double[] ow = new double[LATENCY_MESSAGES];
                double[] rt = new double[LATENCY_MESSAGES];
                latency(session, endpoint, LATENCY_MESSAGES, ow, rt);
                System.arraycopy(ow, 0, oneWay, r * LATENCY_MESSAGES, LATENCY_MESSAGES);
                System.arraycopy(rt, 0, rtt, r * LATENCY_MESSAGES, LATENCY_MESSAGES);
                Stats s = Stats.of(ow);
                runP50[r] = s.median();
                runP99[r] = s.p99();
            }
            session.close();

            rows.add(Result.stats("W7.throughput", "echo msg/s, " + WINDOW + " in flight, " + THROUGHPUT_MESSAGES
                    + " msgs/run", "- (beside W1)", "msg/s", Stats.of(rates), Result.Verdict.INFO,
                    "each echo crosses loopback twice, like A -> server -> B; all echoes checked complete, in order"));
            Stats ow = Stats.of(oneWay);
            Stats rt = Stats.of(rtt);
            rows.add(Result.stats("W7.oneway.p50", "one-way client->server, p50 per run", "- (beside W2)", "us",
                    Stats.of(runP50), Result.Verdict.INFO, String.format(Locale.ROOT,
                            "all %d samples: p50 %.1f us, p99 %.1f us, max %.1f us", ow.count(), ow.median(),
                            ow.p99(), ow.max())));
            rows.add(Result.stats("W7.oneway.p99", "one-way client->server, p99 per run", "- (beside W2)", "us",
                    Stats.of(runP99), Result.Verdict.INFO, ""));
            rows.add(Result.value("W7.rtt.p50", "echo round trip (two hops, like A->srv->B) p50", "- (beside W2)",
                    "us", rt.median(), Result.Verdict.INFO, String.format(Locale.ROOT, "p99 %.1f us, max %.1f us",
                            rt.p99(), rt.max())));
        } finally {
            EchoEndpoint.oneWay = null;
            client.stop();
            http.stop();
            server.stop();
        }
        return rows;
    }

    private static String message(int seq, long nanos) {
        StringBuilder b = new StringBuilder(MESSAGE_BYTES).append(seq).append(':').append(nanos).append(':');
        while (b.length() < MESSAGE_BYTES) {
            b.append('x');
        }
        return b.toString();
    }

    /** @return echoes per second */
    private static double throughput(Session session, ClientEndpoint endpoint, int n) throws Exception {
        endpoint.echo = null;
        endpoint.window = new Semaphore(WINDOW);
        endpoint.expected = 0;
        endpoint.total = n;
        endpoint.done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!endpoint.window.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new CorrectnessException("W7: no echo for 10 s; " + endpoint.expected + " of " + n + " back");
            }
            session.sendText(message(i, 0), Callback.NOOP);
        }
        Env.await(endpoint.done, 30_000, "W7 echoes of " + n + " messages");
        long t1 = System.nanoTime();
        CorrectnessException.check(endpoint.error.get() == null, "W7: " + endpoint.error.get());
        CorrectnessException.check(endpoint.expected == n, "W7: " + endpoint.expected + " echoes of " + n);
        return n / ((t1 - t0) / 1e9);
    }

    private static void latency(Session session, ClientEndpoint endpoint, int n, double[] oneWayUs, double[] rttUs)
            throws Exception {
        long[] sink = new long[n];
        EchoEndpoint.oneWay = sink;
        try {
            for (int i = 0; i < n; i++) {
                CompletableFuture<Long> echo = new CompletableFuture<>();
                endpoint.echo = echo;
                long t0 = System.nanoTime();
                session.sendText(message(i, t0), Callback.NOOP);
                long t1 = Env.await(echo, 10_000, "W7 echo " + i);
                rttUs[i] = (t1 - t0) / 1e3;
            }
        } finally {
            EchoEndpoint.oneWay = null;
            endpoint.echo = null;
        }
        for (int i = 0; i < n; i++) {
            CorrectnessException.check(sink[i] > 0, "W7: the server did not see message " + i);
            oneWayUs[i] = sink[i] / 1e3;
        }
    }
}
