package org.m800.sdk.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.ChatManager;
import org.m800.sdk.chat.Message;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientFactory;

/**
 * The chat side of W1 and W2, run in a child JVM whose class path adds the chat bundle (so the other
 * workloads' clients carry only the core). Pairs of clients of one application, A<sub>i</sub> sending to
 * B<sub>i</sub> (one pair, or several to show contention), in this JVM; the reference server in another. Only the public API is used. Prints {@code RESULT} lines that
 * {@link ChatWorkload} parses; any broken check ends the process with status 3 and a message.
 *
 * <pre>ChatRun (W1|W2) imUri httpUri dataDir messages runs serverPid [pairs]</pre>
 */
public final class ChatRun {

    static final int IN_FLIGHT = ChatSchedule.IN_FLIGHT;
    static final int WARM_UP_BURSTS = ChatSchedule.WARM_UP_BURSTS;
    static final int W2_WARM_UP = ChatSchedule.W2_WARM_UP;
    static final String BODY = ChatSchedule.BODY;
    static final int EXIT_CHECK_FAILED = ChatSchedule.EXIT_CHECK_FAILED;

    private final List<Lane> lanes;
    private final ProcessHandle server;

    private ChatRun(List<Lane> lanes, ProcessHandle server) {
        this.lanes = lanes;
        this.server = server;
    }

    /** One sender A<sub>i</sub>, its conversation with B<sub>i</sub>, and B<sub>i</sub>'s listener. */
    private record Lane(int index, ChatManager sender, String conversation, Receiver receiver) {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI im = URI.create(args[1]);
        URI http = URI.create(args[2]);
        Path data = Path.of(args[3]);
        int messages = Integer.parseInt(args[4]);
        int runs = Integer.parseInt(args[5]);
        ProcessHandle server = ProcessHandle.of(Long.parseLong(args[6])).orElseThrow();
        int pairs = args.length > 7 ? Integer.parseInt(args[7]) : 1;
        ClientFactory factory = ClientFactory.standalone();
        List<Client> clients = new ArrayList<>();
        try {
            String suffix = Long.toString(System.nanoTime(), 36);
            List<Lane> lanes = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                String n = pairs == 1 ? "" : Integer.toString(i);
                Client a = open(factory, "chat-a" + n, im, http, data);
                clients.add(a);
                Client b = open(factory, "chat-b" + n, im, http, data);
                clients.add(b);
                Env.await(a.require(AccountManager.class).signUp("a" + n + suffix, Env.PASSWORD, null), 30_000,
                        "sign-up A" + n);
                Env.await(b.require(AccountManager.class).signUp("b" + n + suffix, Env.PASSWORD, null), 30_000,
                        "sign-up B" + n);
                String bId = b.require(AccountManager.class).profile().orElseThrow().userId();
                ChatManager ca = a.require(ChatManager.class);
                String conv = Env.await(ca.openDirect(bId), 30_000, "openDirect " + i).id();
                Receiver receiver = new Receiver(Math.max(1, IN_FLIGHT / pairs));
                b.require(ChatManager.class).addListener(receiver);
                lanes.add(new Lane(i, ca, conv, receiver));
            }
            ChatRun run = new ChatRun(lanes, server);
            if (mode.equals("W1")) {
                run.throughput(messages, runs);
            } else {
                run.latency(messages);
            }
            for (Lane lane : lanes) {
                check(waitOutboxEmpty(lane.sender()), "the sender's outbox did not drain: "
                        + lane.sender().outbox().size() + " left");
            }
        } catch (CorrectnessException e) {
            System.out.println("CHECK FAILED " + e.getMessage());
            System.exit(EXIT_CHECK_FAILED);
        } finally {
            for (int i = clients.size() - 1; i >= 0; i--) {
                clients.get(i).close();
            }
        }
        System.exit(0);
    }

    /**
     * W1: {@code runs} bursts of {@code n} messages (split evenly between the senders, each on a thread
     * of its own when there are several) with at most {@link #IN_FLIGHT} not yet at a B over all
     * senders, after {@link #WARM_UP_BURSTS} unmeasured ones.
     */
    private void throughput(int n, int runs) throws Exception {
        // warm-up: the JIT compilers of both JVMs spend more CPU than the SDK and the server until about
        // 40,000 messages have passed (C2 compiles of H2 and Jetty take seconds), then the rate settles
        int perLane = n / lanes.size();
        for (int w = 0; w < WARM_UP_BURSTS; w++) {
            burst(perLane);
        }
        for (int r = 1; r <= runs; r++) {
            long cpu0 = processCpuNanos();
            long serverCpu0 = serverCpuNanos();
            long t0 = System.nanoTime();
            burst(perLane);
            long wall = System.nanoTime() - t0;
            long cpu = processCpuNanos() - cpu0;
            long serverCpu = serverCpuNanos() - serverCpu0;
            System.out.printf("RESULT W1 %d %d %d %d %d%n", r, perLane * lanes.size(), wall, cpu, serverCpu);
        }
    }

    private void burst(int perLane) throws Exception {
        if (lanes.size() == 1) {
            send(lanes.get(0), perLane);
            return;
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Lane lane : lanes) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    send(lane, perLane);
                    f.complete(null);
                } catch (Exception | Error e) {
                    f.completeExceptionally(e);
                }
            }, "w1-sender-" + lane.index());
            t.start();
            done.add(f);
        }
        for (CompletableFuture<Void> f : done) {
            try {
                f.get(300, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CorrectnessException c) {
                    throw c;
                }
                throw e;
            }
        }
    }

    private static void send(Lane lane, int n) throws Exception {
        Receiver receiver = lane.receiver();
        Set<String> ids = new HashSet<>(n * 2);
        CountDownLatch all = receiver.expect(n);
        for (int i = 0; i < n; i++) {
            receiver.window.acquire();
            ids.add(lane.sender().sendText(lane.conversation(), BODY).message().id());
        }
        check(all.await(120, TimeUnit.SECONDS), "B" + lane.index() + " got " + receiver.count() + " of " + n
                + " in 120 s");
        receiver.verify(ids);
    }

    /**
     * W2: {@code n} messages one at a time after {@link #W2_WARM_UP} unmeasured ones; each waits until
     * B's listener has it.
     */
    private void latency(int n) throws Exception {
        Lane lane = lanes.get(0);
        Receiver receiver = lane.receiver();
        long[] one = new long[n];
        for (int i = -W2_WARM_UP; i < n; i++) {
            CountDownLatch got = receiver.expect(1);
            long t0 = System.nanoTime();
            String id = lane.sender().sendText(lane.conversation(), BODY).message().id();
            check(got.await(10, TimeUnit.SECONDS), "message " + id + " did not reach B in 10 s");
            long t = receiver.lastArrival - t0;
            receiver.verify(Set.of(id));
            if (i >= 0) {
                one[i] = t;
            }
        }
        StringBuilder line = new StringBuilder("RESULT W2");
        for (long t : one) {
            line.append(' ').append(t);
        }
        System.out.println(line);
    }

    /** B's listener: counts, records ids and checks the order of seqs; releases A's window. */
    private static final class Receiver implements ChatListener {
        final Semaphore window;
        private final Set<String> seen = new HashSet<>();
        private final AtomicReference<String> problem = new AtomicReference<>();
        private final AtomicLong received = new AtomicLong();
        private long lastSeq;
        private long target;
        private CountDownLatch latch = new CountDownLatch(0);
        volatile long lastArrival;

        Receiver(int window) {
            this.window = new Semaphore(window);
        }

        synchronized CountDownLatch expect(int n) {
            seen.clear();
            target = received.get() + n;
            latch = new CountDownLatch(1);
            return latch;
        }

        long count() {
            return received.get();
        }

        @Override
        public void messageReceived(Message m) {
            lastArrival = System.nanoTime();
            synchronized (this) {
                if (m.seq() <= lastSeq) {
                    problem.compareAndSet(null, "seq " + m.seq() + " after " + lastSeq + " (repeated or out of order)");
                } else if (lastSeq != 0 && m.seq() != lastSeq + 1) {
                    problem.compareAndSet(null, "seq " + m.seq() + " after " + lastSeq + " (a gap)");
                }
                lastSeq = m.seq();
                if (!seen.add(m.id())) {
                    problem.compareAndSet(null, "message " + m.id() + " received twice");
                }
                if (received.incrementAndGet() == target) {
                    latch.countDown();
                }
            }
            window.release();
        }

        synchronized void verify(Set<String> sent) {
            check(problem.get() == null, problem.get());
            check(seen.equals(sent), "B received " + seen.size() + " ids, A sent " + sent.size()
                    + (seen.containsAll(sent) ? "" : "; some sent ids never arrived"));
        }
    }

    private static boolean waitOutboxEmpty(ChatManager chat) throws InterruptedException {
        for (int i = 0; i < 100 && !chat.outbox().isEmpty(); i++) {
            Thread.sleep(100);
        }
        return chat.outbox().isEmpty();
    }

    private static Client open(ClientFactory factory, String id, URI im, URI http, Path data) throws Exception {
        ClientConfig config = ClientConfig.builder().clientId(id).imServers(List.of(im))
                .signUpServers(List.of(http)).dataDirectory(data.resolve(id)).build();
        Client c = factory.create(Env.APP, config);
        Env.await(Sdk.featureReady(c, ChatManager.MODULE), 30_000, id + " chat ready");
        return c;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private long serverCpuNanos() {
        return server.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    private static void check(boolean ok, String what) {
        CorrectnessException.check(ok, what);
    }
}
