package org.m800.sdk.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.m800.sdk.call.Call;
import org.m800.sdk.call.CallEndReason;
import org.m800.sdk.call.CallListener;
import org.m800.sdk.call.CallManager;
import org.m800.sdk.call.CallOptions;
import org.m800.sdk.call.CallState;
import org.m800.sdk.call.internal.CallManagerImpl;
import org.m800.sdk.call.internal.EngineFactory;
import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.MediaSessionListener;
import org.m800.sdk.call.internal.media.MediaStats;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MediaManager;
import org.m800.server.CallSettings;
import org.m800.server.ReferenceServer;

/**
 * W10: calls through the reference server, in this JVM on loopback.
 *
 * <p>Set-up: A calls B (B answers from its incoming-call listener, at once); the time from
 * {@code call()} until both sides' sinks hear the other's tone (Goertzel on each 20 ms frame) — invite,
 * offer/answer, SRTP keys, the relay's latching and the jitter buffer's first playout. Opus, the real
 * media engine; {@value #SETUP_WARMUP} calls warm up, then {@value #SETUP_CALLS} are measured one at a time.
 *
 * <p>Relay capacity: A places {@value #RELAY_CALLS} calls to B at once (B takes each as a waiting call),
 * so the server relays {@value #RELAY_CALLS} × 2 legs. The clients' legs are bare UDP sockets: a generator
 * sends 50 packets a second per leg of the size of PCMU in SRTP (12 + 160 + 10 bytes, random bytes the relay
 * passes through untouched) in both directions for {@value #RELAY_SECONDS} s; loss is counted per leg. The
 * relay's CPU is its thread's CPU time over the window.
 */
final class W10Calls implements Workload {

    static final int SETUP_WARMUP = 5;
    static final int SETUP_CALLS = 20;
    static final int RELAY_CALLS = 200;
    static final int RELAY_SECONDS = 10;
    static final int PACKET_BYTES = 12 + 160 + 10;
    static final int RATE = 48_000;

    @Override
    public String id() {
        return "W10";
    }

    @Override
    public String title() {
        return "calls: set-up until both hear audio, and the relay with " + RELAY_CALLS + " calls";
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        List<Result> results = new ArrayList<>();
        CallSettings settings = CallSettings.DEFAULTS.withMediaTimeout(Duration.ofMinutes(10))
                .withRelay("127.0.0.1", 46_000, 46_999);
        try (ReferenceServer server = ReferenceServer.builder().port(0).dataDirectory(env.scratch("w10-server"))
                .callSettings(settings).build().start()) {
            results.addAll(setup(env, server));
            results.addAll(relay(env, server));
        }
        return results;
    }

    // ------------------------------------------------------------------------------------- set-up

    private List<Result> setup(Env env, ReferenceServer server) throws Exception {
        ToneSink aHears = new ToneSink(1000);
        ToneSink bHears = new ToneSink(440);
        TracingEngines enginesA = new TracingEngines();
        TracingEngines enginesB = new TracingEngines();
        SetupPhases phases = new SetupPhases(SETUP_CALLS);
        List<Client> clients = new ArrayList<>();
        try {
            Client a = client(env, server, "w10-setup-a", new Tone(440), aHears, enginesA);
            clients.add(a);
            Client b = client(env, server, "w10-setup-b", new Tone(1000), bHears, enginesB);
            clients.add(b);
            signUp(a, "w10-setup-a");
            signUp(b, "w10-setup-b");
            CallManager atA = a.require(CallManager.class);
            atA.addListener(new CallListener() {
                @Override
                public void stateChanged(Call call, CallState from, CallState to) {
                    if (to == CallState.RINGING) {
                        phases.mark("A: ringing (call.ringing event)");
                    }
                }
            });
            atB(b).addListener(new CallListener() {
                @Override
                public void incoming(Call call) {
                    phases.mark("B: incoming (call.incoming event)");
                    call.answer().thenRun(() -> phases.mark("B: answer confirmed (media starts)"));
                }
            });
            String bId = b.require(AccountManager.class).profile().orElseThrow().userId();
            double[] ms = new double[SETUP_CALLS];
            double[] aMs = new double[SETUP_CALLS];
            double[] bMs = new double[SETUP_CALLS];
            for (int i = 0; i < SETUP_WARMUP + SETUP_CALLS; i++) {
                aHears.reset();
                bHears.reset();
                long start = System.nanoTime();
                phases.begin(i - SETUP_WARMUP, start);
                Call call = Env.await(atA.call(bId), 10_000, "call " + i);
                phases.mark("A: invite acknowledged");
                long aAt = aHears.await(10_000);
                long bAt = bHears.await(10_000);
                phases.media("A", enginesA.last());
                phases.media("B", enginesB.last());
                phases.at("A: hears B's tone", aAt);
                phases.at("B: hears A's tone", bAt);
                if (i >= SETUP_WARMUP) {
                    ms[i - SETUP_WARMUP] = (Math.max(aAt, bAt) - start) / 1e6;
                    aMs[i - SETUP_WARMUP] = (aAt - start) / 1e6;
                    bMs[i - SETUP_WARMUP] = (bAt - start) / 1e6;
                }
                Env.await(call.hangUp(), 10_000, "hang-up " + i);
                if (call.endReason() != CallEndReason.LOCAL_HANGUP) {
                    throw new CorrectnessException("call " + i + " ended with " + call.endReason());
                }
                awaitNoCalls(atA, b);
            }
            Stats stats = Stats.of(ms);
            List<Result> rows = new ArrayList<>();
            rows.add(Result.stats("W10", "call set-up: call() until both sides hear the other's tone (Opus, relay)",
                    "p50 <= 50 ms", "ms", stats, Result.verdict(stats.median() <= 50),
                    String.format(Locale.ROOT, "%d calls one at a time after %d; p50 until A hears %.0f ms, until B "
                            + "hears %.0f ms; includes the jitter buffer's first playout (40 ms minimum) and one 20 ms "
                            + "frame of detection", SETUP_CALLS, SETUP_WARMUP, Stats.of(aMs).median(),
                            Stats.of(bMs).median())));
            rows.addAll(phases.rows());
            return rows;
        } finally {
            clients.forEach(Client::close);
        }
    }

    private static CallManager atB(Client b) {
        return b.require(CallManager.class);
    }

    private static void awaitNoCalls(CallManager a, Client b) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!a.calls().isEmpty() || !atB(b).calls().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new CorrectnessException("calls did not end: " + a.calls() + " " + atB(b).calls());
            }
            Env.pause(5);
        }
    }

    // ------------------------------------------------------------------------------------- relay

    private List<Result> relay(Env env, ReferenceServer server) throws Exception {
        BareEngine engineA = new BareEngine();
        BareEngine engineB = new BareEngine();
        List<Client> clients = new ArrayList<>();
        try {
            Client a = client(env, server, "w10-relay-a", new Tone(440), new ToneSink(1000), () -> engineA);
            clients.add(a);
            Client b = client(env, server, "w10-relay-b", new Tone(1000), new ToneSink(440), () -> engineB);
            clients.add(b);
            signUp(a, "w10-relay-a");
            signUp(b, "w10-relay-b");
            List<CompletableFuture<Void>> answered = new CopyOnWriteArrayList<>();
            atB(b).addListener(new CallListener() {
                @Override
                public void incoming(Call call) {
                    answered.add(call.answer());
                }
            });
            String bId = b.require(AccountManager.class).profile().orElseThrow().userId();
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < RELAY_CALLS; i++) {
                calls.add(Env.await(a.require(CallManager.class).call(bId), 10_000, "call " + i));
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (answered.size() < RELAY_CALLS || engineA.started() < RELAY_CALLS
                    || engineB.started() < RELAY_CALLS) {
                if (System.nanoTime() > deadline) {
                    throw new CorrectnessException("only " + answered.size() + " of " + RELAY_CALLS + " calls answered");
                }
                Env.pause(10);
            }
            for (CompletableFuture<Void> f : answered) {
                Env.await(f, 10_000, "answer");
            }
            List<BareLeg> legs = new ArrayList<>(engineA.legs);
            legs.addAll(engineB.legs);
            Thread relayThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("m800-server-media-relay")).findFirst()
                    .orElseThrow(() -> new CorrectnessException("no relay thread"));
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            try (Generator g = new Generator(legs)) {
                g.runFor(2_000); // warm-up: every leg latched, JIT warm; its packets count too
                long cpu0 = mx.getThreadCpuTime(relayThread.getId());
                long wall0 = System.nanoTime();
                g.runFor(RELAY_SECONDS * 1_000L);
                long wall = System.nanoTime() - wall0;
                long cpu = mx.getThreadCpuTime(relayThread.getId()) - cpu0;
                Env.pause(1_000); // what is still queued in the relay's and the receivers' socket buffers
                long sent = g.sent();
                long received = g.received();
                double loss = sent == 0 ? 1 : 100.0 * (sent - received) / sent;
                double cpuPerCall = cpu / 1e3 / (wall / 1e9) / RELAY_CALLS;
                double coreShare = 100.0 * cpu / wall;
                for (Call c : calls) {
                    c.hangUp();
                }
                List<Result> rows = new ArrayList<>();
                rows.add(Result.value("W10", "relay: packet loss with " + RELAY_CALLS + " calls (" + 2 * RELAY_CALLS
                        + " legs, 50 pps each way, " + PACKET_BYTES + "-byte SRTP-sized)", "< 0.5 %", "%", loss,
                        Result.verdict(loss < 0.5), String.format(Locale.ROOT, "%d sent, %d received in %d s",
                                sent, received, RELAY_SECONDS + 2)));
                rows.add(Result.value("W10", "relay: CPU per call (the relay thread)", "reported", "us CPU/s",
                        cpuPerCall, Result.Verdict.INFO, String.format(Locale.ROOT,
                                "%.1f %% of one core for %d calls; generator and receivers in the same JVM",
                                coreShare, RELAY_CALLS)));
                return rows;
            }
        } finally {
            clients.forEach(Client::close);
            engineA.close();
            engineB.close();
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private static Client client(Env env, ReferenceServer server, String id, AudioSource source, AudioSink sink,
            EngineFactory engines) throws Exception {
        ClientConfig config = ClientConfig.builder().clientId(id).imServers(List.of(server.imUri()))
                .signUpServers(List.of(server.httpUri())).callServers(List.of(server.callUri()))
                .dataDirectory(env.scratch(id)).offlineQueueLimit(5_000).build();
        MediaManager media = new MediaManager() {
            @Override
            public AudioSource defaultSource() {
                return source;
            }

            @Override
            public AudioSink defaultSink() {
                return sink;
            }
        };
        Client c = ClientFactory.standalone().create(Env.APP, config, List.of(
                ModuleDefinition.of(MediaManager.MODULE, List.of(NotificationService.MODULE), ctx -> media),
                ModuleDefinition.of(CallManager.MODULE, CallManagerImpl.DEPENDENCIES,
                        ctx -> new CallManagerImpl(ctx, engines))));
        CompletableFuture<String> ready = new CompletableFuture<>();
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(CallManager.MODULE)) {
                ready.complete(name);
            }
        });
        Env.await(ready, 30_000, "call feature of " + id);
        return c;
    }

    private static void signUp(Client c, String name) throws Exception {
        Env.await(c.require(AccountManager.class).signUp(name + "-" + System.nanoTime(), Env.PASSWORD, null), 30_000,
                "sign-up " + name);
    }

    /** Media engines that remember the legs they open, for the set-up phases. */
    static final class TracingEngines implements EngineFactory {
        private final List<MediaSession> legs = new CopyOnWriteArrayList<>();

        MediaSession last() {
            return legs.get(legs.size() - 1);
        }

        @Override
        public MediaEngine create() throws IOException {
            MediaEngine engine = MediaEngine.create();
            return new MediaEngine() {
                @Override
                public MediaSession open(InetAddress bindAddress) throws IOException {
                    MediaSession leg = engine.open(bindAddress);
                    legs.add(leg);
                    return leg;
                }

                @Override
                public void close() {
                    engine.close();
                }
            };
        }
    }

    /** A 48 kHz sine. */
    static final class Tone implements AudioSource {
        private final double step;
        private double phase;

        Tone(double hz) {
            step = 2 * Math.PI * hz / RATE;
        }

        @Override
        public int sampleRate() {
            return RATE;
        }

        @Override
        public synchronized boolean read(short[] frame) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (short) (6_000 * Math.sin(phase));
                phase += step;
            }
            phase %= 2 * Math.PI;
            return true;
        }
    }

    /** Notes when the first 20 ms frame with the tone arrives (Goertzel amplitude above a third of the tone's). */
    static final class ToneSink implements AudioSink {
        private final double coefficient;
        private volatile CompletableFuture<Long> heard = new CompletableFuture<>();

        ToneSink(double hz) {
            coefficient = 2 * Math.cos(2 * Math.PI * hz / RATE);
        }

        void reset() {
            heard = new CompletableFuture<>();
        }

        long await(long ms) throws Exception {
            return Env.await(heard, ms, "the tone");
        }

        @Override
        public int sampleRate() {
            return RATE;
        }

        @Override
        public void write(short[] frame) {
            CompletableFuture<Long> h = heard;
            if (h.isDone()) {
                return;
            }
            double s1 = 0;
            double s2 = 0;
            for (short sample : frame) {
                double s = sample + coefficient * s1 - s2;
                s2 = s1;
                s1 = s;
            }
            double amplitude = 2 * Math.sqrt(Math.max(s1 * s1 + s2 * s2 - coefficient * s1 * s2, 0)) / frame.length;
            if (amplitude > 2_000) {
                h.complete(System.nanoTime());
            }
        }
    }

    /** Legs that are bare UDP sockets: the generator below sends and counts; nothing is encoded. */
    static final class BareEngine implements MediaEngine {
        final List<BareLeg> legs = new CopyOnWriteArrayList<>();

        int started() {
            return (int) legs.stream().filter(l -> l.remote != null).count();
        }

        @Override
        public MediaSession open(InetAddress bindAddress) throws IOException {
            BareLeg leg = new BareLeg(bindAddress);
            legs.add(leg);
            return leg;
        }

        @Override
        public void close() {
            legs.forEach(BareLeg::close);
        }
    }

    /** One bare leg. */
    static final class BareLeg implements MediaSession {
        private static final SecureRandom RANDOM = new SecureRandom();
        final DatagramChannel channel;
        final AtomicLong received = new AtomicLong();
        final byte[] key = new byte[30];
        volatile InetSocketAddress remote;

        BareLeg(InetAddress bind) throws IOException {
            channel = DatagramChannel.open();
            channel.bind(new InetSocketAddress(bind, 0));
            channel.configureBlocking(false);
            RANDOM.nextBytes(key);
        }

        @Override
        public InetSocketAddress localAddress() {
            try {
                return (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public List<AudioCodecSpec> supportedCodecs() {
            return List.of(new AudioCodecSpec("PCMU", 0, 8000, 1), new AudioCodecSpec("telephone-event", 101, 8000, 1));
        }

        @Override
        public byte[] localSrtpKey() {
            return key.clone();
        }

        @Override
        public void start(NegotiatedMedia media, AudioSource source, AudioSink sink) {
            remote = media.remote();
        }

        @Override
        public void update(NegotiatedMedia media) {
            remote = media.remote();
        }

        @Override
        public void setMuted(boolean muted) {
        }

        @Override
        public void sendDtmf(char digit) {
        }

        @Override
        public MediaStats stats() {
            return new MediaStats(0, received.get(), 0, 0, 0, -1);
        }

        @Override
        public void setListener(MediaSessionListener listener) {
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    /** Sends one packet per leg every 20 ms and receives on every leg, on two threads of its own. */
    static final class Generator implements AutoCloseable {
        private final List<BareLeg> legs;
        private final Selector selector;
        private final Thread receiver;
        private final AtomicLong sent = new AtomicLong();
        private volatile boolean closed;

        Generator(List<BareLeg> legs) throws IOException {
            this.legs = legs;
            selector = Selector.open();
            for (BareLeg leg : legs) {
                leg.channel.register(selector, SelectionKey.OP_READ, leg);
            }
            receiver = new Thread(this::receive, "w10-receiver");
            receiver.setDaemon(true);
            receiver.start();
        }

        private void receive() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            while (!closed) {
                try {
                    selector.select(200);
                    for (SelectionKey key : selector.selectedKeys()) {
                        BareLeg leg = (BareLeg) key.attachment();
                        buffer.clear();
                        while (leg.channel.receive(buffer) != null) {
                            leg.received.incrementAndGet();
                            buffer.clear();
                        }
                    }
                    selector.selectedKeys().clear();
                } catch (IOException | RuntimeException e) {
                    if (!closed) {
                        continue;
                    }
                    return;
                }
            }
        }

        /** Sends for that long, one packet per leg per 20 ms (paced against the clock). */
        void runFor(long ms) throws Exception {
            ByteBuffer packet = ByteBuffer.allocate(PACKET_BYTES);
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(packet.array());
            long start = System.nanoTime();
            long ticks = ms / 20;
            for (long tick = 0; tick < ticks; tick++) {
                long due = start + tick * 20_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                for (BareLeg leg : legs) {
                    packet.clear();
                    packet.putShort(2, (short) tick);
                    packet.clear();
                    leg.channel.send(packet, leg.remote);
                    sent.incrementAndGet();
                }
            }
        }

        long sent() {
            return sent.get();
        }

        long received() {
            return legs.stream().mapToLong(l -> l.received.get()).sum();
        }

        @Override
        public void close() throws Exception {
            closed = true;
            selector.close();
            receiver.join(5_000);
        }
    }
}
