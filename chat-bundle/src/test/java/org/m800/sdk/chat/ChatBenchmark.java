package org.m800.sdk.chat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.server.ReferenceServer;

/**
 * A quick benchmark of the chat path (not a test): W1 throughput (A sends N one-to-one messages with a
 * bounded number in flight, B checks every one arrives once and in order) and W2 one-way latency (one
 * message at a time, timed from {@code send} until B's listener has it). Run:
 * {@code mvn -B -q -o -f chat-bundle/pom.xml test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.m800.sdk.chat.ChatBenchmark [-Dexec.args="20000 2000"]}
 */
public final class ChatBenchmark {

    public static void main(String[] args) throws Exception {
        int w1 = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int w2 = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path root = Files.createTempDirectory("chat-bench");
        System.out.printf("cores %d, java %s%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        // limits far above the run (the defaults would slow W1 to the default message rate)
        try (ReferenceServer server = ReferenceServer.builder().port(0).dataDirectory(root.resolve("server"))
                .requestRate(1_000_000, 10_000_000).messageRate(1_000_000, 10_000_000).build().start()) {
            ClientFactory factory = ClientFactory.standalone();
            Client a = open(factory, server, "bench-a", root);
            Client b = open(factory, server, "bench-b", root);
            try {
                a.require(AccountManager.class).signUp("bench-a", "bench-a-password", null).get(60, TimeUnit.SECONDS);
                b.require(AccountManager.class).signUp("bench-b", "bench-b-password", null).get(60, TimeUnit.SECONDS);
                String bId = b.require(AccountManager.class).profile().orElseThrow().userId();
                ChatManager ca = a.require(ChatManager.class);
                ChatManager cb = b.require(ChatManager.class);
                String conv = ca.openDirect(bId).get(30, TimeUnit.SECONDS).id();
                String body = "x".repeat(90);

                // B's side: counts, checks order and duplicates, releases the sender's window, times W2
                AtomicLong lastSeq = new AtomicLong();
                AtomicLong received = new AtomicLong();
                AtomicReference<String> error = new AtomicReference<>();
                Semaphore window = new Semaphore(1_000);
                ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
                long[] latencies = new long[w2];
                AtomicLong latencyIndex = new AtomicLong();
                AtomicReference<CountDownLatch> done = new AtomicReference<>(new CountDownLatch(1));
                AtomicLong expected = new AtomicLong();
                cb.addListener(new ChatListener() {
                    @Override
                    public void messageReceived(Message m) {
                        long now = System.nanoTime();
                        if (m.seq() <= lastSeq.get()) {
                            error.compareAndSet(null, "out of order or duplicate: " + m.seq() + " after " + lastSeq.get());
                        }
                        lastSeq.set(m.seq());
                        Long t0 = sentAt.remove(m.id());
                        if (t0 != null) {
                            int i = (int) latencyIndex.getAndIncrement();
                            if (i < latencies.length) {
                                latencies[i] = now - t0;
                            }
                        }
                        window.release();
                        if (received.incrementAndGet() == expected.get()) {
                            done.get().countDown();
                        }
                    }
                });

                // warm-up
                runW1(ca, conv, body, 2_000, window, received, expected, done);
                for (int run = 1; run <= 3; run++) {
                    long t = runW1(ca, conv, body, w1, window, received, expected, done);
                    System.out.printf("W1 run %d: %d messages in %d ms = %.0f msg/s%n", run, w1, t / 1_000_000,
                            w1 / (t / 1e9));
                }
                if (error.get() != null) {
                    throw new AssertionError(error.get());
                }

                // W2: one at a time, each waits until B has it
                for (int i = 0; i < 200; i++) {
                    one(ca, conv, body, received, expected, done, null);
                }
                latencyIndex.set(0);
                for (int i = 0; i < w2; i++) {
                    one(ca, conv, body, received, expected, done, sentAt);
                }
                long[] l = Arrays.copyOf(latencies, (int) Math.min(w2, latencyIndex.get()));
                Arrays.sort(l);
                System.out.printf("W2: %d messages one at a time, one-way latency p50 %d us, p99 %d us, max %d us%n",
                        l.length, l[l.length / 2] / 1_000, l[(int) (l.length * 0.99)] / 1_000, l[l.length - 1] / 1_000);
                if (error.get() != null) {
                    throw new AssertionError(error.get());
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }

    private static long runW1(ChatManager ca, String conv, String body, int n, Semaphore window, AtomicLong received,
            AtomicLong expected, AtomicReference<CountDownLatch> done) throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        done.set(latch);
        expected.set(received.get() + n);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            window.acquire();
            ca.sendText(conv, body);
        }
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("not all delivered: " + received.get() + " of " + expected.get() + "; sender outbox "
                    + ca.outbox());
        }
        return System.nanoTime() - t0;
    }

    private static void one(ChatManager ca, String conv, String body, AtomicLong received, AtomicLong expected,
            AtomicReference<CountDownLatch> done, ConcurrentHashMap<String, Long> sentAt) throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        done.set(latch);
        expected.set(received.get() + 1);
        long t0 = System.nanoTime();
        Sending s = ca.sendText(conv, body);
        if (sentAt != null) {
            sentAt.put(s.message().id(), t0);
        }
        if (!latch.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("message not delivered");
        }
    }

    private static Client open(ClientFactory factory, ReferenceServer server, String id, Path root) throws Exception {
        ClientConfig config = ClientConfig.builder().clientId(id).imServers(List.of(server.imUri()))
                .signUpServers(List.of(server.httpUri())).dataDirectory(root.resolve(id))
                .requestTimeout(Duration.ofSeconds(30)).offlineQueueLimit(5_000).build();
        Client c = factory.create(ChatFixture.DEV_APP, config);
        CompletableFuture<String> ready = new CompletableFuture<>();
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(ChatManager.MODULE)) {
                ready.complete(name);
            }
        });
        ready.get(30, TimeUnit.SECONDS);
        return c;
    }
}
