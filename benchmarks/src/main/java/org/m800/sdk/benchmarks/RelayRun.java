package org.m800.sdk.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The clients of W7b, in a child JVM as W1's chat clients are: {@code pairs} pairs of bare Jetty
 * WebSocket clients, A<sub>i</sub> and B<sub>i</sub>, connected to the {@link RelayServer} in another JVM.
 * A<sub>i</sub> sends frames of the size of the SDK's {@code chat.send} request; the relay forwards each
 * to B<sub>i</sub>, which checks its order and answers with a frame of the size of the server's response;
 * the relay forwards that to A<sub>i</sub>, which checks its order too and only then frees a place in its
 * window. Plain string handling, no JSON library: this is the ceiling W1 and W2 are compared with.
 *
 * <p>Throughput as W1 ({@link ChatSchedule#WARM_UP_BURSTS} unmeasured bursts, then {@code runs} measured
 * ones, {@link ChatSchedule#IN_FLIGHT} frames in flight over all pairs); latency as W2
 * ({@link ChatSchedule#W2_WARM_UP} unmeasured, then one at a time, each until B has it). Prints
 * {@code RESULT} lines for {@link W7bJettyRelay}; a broken check ends the process with status 3.
 *
 * <pre>RelayRun (W1|W2) port relayPid pairs messages runs</pre>
 */
public final class RelayRun {

    /** Same shape and sizes as the SDK's frames: a UUID message id, a server-made conversation id. */
    private static final String CONVERSATION = "c-" + "k".repeat(22);

    private final List<Pair> pairs = new ArrayList<>();
    private final ProcessHandle relay;
    private final AtomicReference<String> problem = new AtomicReference<>();

    private RelayRun(ProcessHandle relay) {
        this.relay = relay;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI base = URI.create("ws://127.0.0.1:" + Integer.parseInt(args[1]) + "/relay");
        ProcessHandle relay = ProcessHandle.of(Long.parseLong(args[2])).orElseThrow();
        int pairCount = Integer.parseInt(args[3]);
        int messages = Integer.parseInt(args[4]);
        int runs = Integer.parseInt(args[5]);
        HttpClient http = new HttpClient();
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("w7b-client");
        http.setExecutor(threads);
        WebSocketClient client = new WebSocketClient(http);
        client.start();
        RelayRun run = new RelayRun(relay);
        try {
            for (int i = 0; i < pairCount; i++) {
                run.pairs.add(run.connect(client, base, i, Math.max(1, ChatSchedule.IN_FLIGHT / pairCount)));
            }
            for (Pair p : run.pairs) {
                Env.await(p.b.paired, 10_000, "B" + p.index + " paired");
                Env.await(p.a.paired, 10_000, "A" + p.index + " paired");
            }
            if (mode.equals("W1")) {
                run.throughput(messages, runs);
            } else {
                run.latency(messages);
            }
            for (Pair p : run.pairs) {
                p.a.session.close();
                p.b.session.close();
            }
        } catch (CorrectnessException e) {
            System.out.println("CHECK FAILED " + e.getMessage());
            System.exit(ChatSchedule.EXIT_CHECK_FAILED);
        } finally {
            client.stop();
            http.stop();
        }
        System.exit(0);
    }

    private Pair connect(WebSocketClient client, URI base, int i, int window) throws Exception {
        Receiver b = new Receiver(i);
        Sender a = new Sender(i, window);
        b.session = client.connect(b, URI.create(base + "?me=b" + i + "&peer=a" + i)).get(10, TimeUnit.SECONDS);
        a.session = client.connect(a, URI.create(base + "?me=a" + i + "&peer=b" + i)).get(10, TimeUnit.SECONDS);
        return new Pair(i, a, b);
    }

    /** W1's schedule over all pairs: each burst is {@code n} frames, split evenly between the pairs. */
    private void throughput(int n, int runs) throws Exception {
        int perPair = n / pairs.size();
        for (int w = 0; w < ChatSchedule.WARM_UP_BURSTS; w++) {
            burst(perPair);
        }
        for (int r = 1; r <= runs; r++) {
            long cpu0 = processCpuNanos();
            long relayCpu0 = relayCpuNanos();
            long t0 = System.nanoTime();
            burst(perPair);
            long wall = System.nanoTime() - t0;
            System.out.printf("RESULT W7B %d %d %d %d %d %d%n", pairs.size(), r, perPair * pairs.size(), wall,
                    processCpuNanos() - cpu0, relayCpuNanos() - relayCpu0);
        }
    }

    /** Every pair's A sends {@code perPair} frames on a thread of its own; returns when every answer is back. */
    private void burst(int perPair) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Pair p : pairs) {
            done.add(p.a.expect(perPair));
        }
        List<Thread> senders = new ArrayList<>();
        for (Pair p : pairs) {
            Thread t = new Thread(() -> p.a.sendAll(perPair), "w7b-sender-" + p.index);
            t.start();
            senders.add(t);
        }
        for (int i = 0; i < pairs.size(); i++) {
            Env.await(done.get(i), 120_000, "pair " + i + ": answers to " + perPair + " frames");
        }
        for (Thread t : senders) {
            t.join(10_000);
        }
        check(problem.get() == null, problem.get());
    }

    /** W2's schedule on the first pair. */
    private void latency(int n) throws Exception {
        Pair p = pairs.get(0);
        p.a.expect(ChatSchedule.W2_WARM_UP + n); // A checks the answers' order; nothing waits for them
        long[] oneWay = new long[n];
        int seq = 0;
        for (int i = -ChatSchedule.W2_WARM_UP; i < n; i++, seq++) {
            CountDownLatch got = p.b.arrival(seq);
            long t0 = System.nanoTime();
            p.a.session.sendText(p.a.frame(seq), Callback.NOOP);
            check(got.await(10, TimeUnit.SECONDS), "frame " + seq + " did not reach B in 10 s");
            if (i >= 0) {
                oneWay[i] = p.b.arrivedAt - t0;
            }
        }
        check(problem.get() == null, problem.get());
        StringBuilder line = new StringBuilder("RESULT W7B.LAT");
        for (long t : oneWay) {
            line.append(' ').append(t);
        }
        System.out.println(line);
    }

    private record Pair(int index, Sender a, Receiver b) {
    }

    /** The request id of a frame: {@code "id":"r-<seq>"}, the seq being what both ends check. */
    static int seqOf(String text) {
        int start = text.indexOf("\"id\":\"r-");
        if (start < 0) {
            return -1;
        }
        start += 8;
        return Integer.parseInt(text, start, text.indexOf('"', start), 10);
    }

    private void fail(String what) {
        problem.compareAndSet(null, what);
    }

    /** A: sends within its window; an answer frees a place. Answers must come back in order. */
    public final class Sender implements Session.Listener.AutoDemanding {
        final int index;
        final int windowSize;
        final CompletableFuture<Void> paired = new CompletableFuture<>();
        volatile Session session;
        private volatile Semaphore window;
        private volatile CompletableFuture<Void> done;
        private volatile int nextAnswer;
        private volatile int end;
        private int nextSeq;

        Sender(int index, int windowSize) {
            this.index = index;
            this.windowSize = windowSize;
        }

        CompletableFuture<Void> expect(int n) {
            window = new Semaphore(windowSize);
            nextAnswer = nextSeq;
            end = nextSeq + n;
            done = new CompletableFuture<>();
            return done;
        }

        void sendAll(int n) {
            try {
                for (int i = 0; i < n; i++) {
                    if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                        fail("A" + index + ": no answer for 30 s; waiting for " + nextAnswer);
                        done.complete(null);
                        return;
                    }
                    session.sendText(frame(nextSeq++), Callback.NOOP);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("A" + index + ": interrupted");
                done.complete(null);
            } catch (RuntimeException | Error e) {
                fail("A" + index + ": sending failed: " + e);
                done.complete(null);
            }
        }

        String frame(int seq) {
            return "{\"v\":1,\"type\":\"chat.send\",\"id\":\"r-" + seq + "\",\"data\":{\"conversationId\":\""
                    + CONVERSATION + "\",\"messageId\":\"" + UUID.randomUUID() + "\",\"content\":{\"kind\":\"text\","
                    + "\"text\":\"" + ChatSchedule.BODY + "\"}}}";
        }

        @Override
        public void onWebSocketText(String text) {
            if (text.equals(RelayServer.PAIRED)) {
                paired.complete(null);
                return;
            }
            int seq = seqOf(text);
            if (seq != nextAnswer) {
                fail("A" + index + ": answer " + seq + " when " + nextAnswer + " was expected");
            }
            nextAnswer = seq + 1;
            window.release();
            if (nextAnswer == end) {
                done.complete(null);
            }
        }
    }

    /** B: checks that frames arrive complete and in order, answers each one. */
    public final class Receiver implements Session.Listener.AutoDemanding {
        final int index;
        final CompletableFuture<Void> paired = new CompletableFuture<>();
        volatile Session session;
        volatile long arrivedAt;
        private volatile CountDownLatch latch;
        private volatile int latchSeq = -1;
        private int expected;

        Receiver(int index) {
            this.index = index;
        }

        CountDownLatch arrival(int seq) {
            CountDownLatch l = new CountDownLatch(1);
            latch = l;
            latchSeq = seq;
            return l;
        }

        @Override
        public void onWebSocketText(String text) {
            long now = System.nanoTime();
            if (text.equals(RelayServer.PAIRED)) {
                paired.complete(null);
                return;
            }
            int seq = seqOf(text);
            if (seq != expected) {
                fail("B" + index + ": frame " + seq + " when " + expected + " was expected");
            }
            expected = seq + 1;
            if (!text.endsWith("\"text\":\"" + ChatSchedule.BODY + "\"}}}")) {
                fail("B" + index + ": frame " + seq + " arrived incomplete (" + text.length() + " characters)");
            }
            int id = text.indexOf("\"messageId\":\"") + 13;
            String messageId = text.substring(id, text.indexOf('"', id));
            session.sendText("{\"v\":1,\"type\":\"response\",\"id\":\"r-" + seq + "\",\"data\":{\"conversationId\":\""
                    + CONVERSATION + "\",\"messageId\":\"" + messageId + "\",\"seq\":" + (seq + 1) + ",\"ts\":"
                    + System.currentTimeMillis() + "}}", Callback.NOOP);
            CountDownLatch l = latch;
            if (l != null && latchSeq == seq) {
                arrivedAt = now;
                l.countDown();
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private long relayCpuNanos() {
        return relay.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    private static void check(boolean ok, String what) {
        CorrectnessException.check(ok, what);
    }
}
