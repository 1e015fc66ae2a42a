package org.m800.sdk.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;

/**
 * W4: many distinct logged-in idle clients in one JVM: first {@code clientsSmall} (1,000), then as
 * many more as make {@code clientsLarge} (10,000) open together.
 *
 * <p>The reference server runs in a child JVM, so everything this JVM holds beyond the baseline
 * belongs to the SDK (and the Jetty client it shares). The accounts are signed up once (PBKDF2 on
 * the server makes that ~35 ms each) by clients that each keep their session in their own data
 * folder; the folders and the server's database are kept in {@code --state} and reused by later runs.
 * A measured client is created on such a folder and logs itself in from the stored session, the way
 * a gateway restarts its users' sessions.
 *
 * <p>Heap: used heap after several full GCs, before any client (the factory created) and with the
 * clients connected and idle; divided by the number of clients. The marginal cost between the two
 * steps leaves out the fixed costs (the shared Jetty client, class metadata is not heap).
 */
final class W4ManyClients implements Workload {

    static final long CONNECT_ALL_TIMEOUT_MS = 15 * 60_000;
    static final int SIGN_UP_PARALLEL = 6;
    static final double TARGET_KB = 20;
    static final int WARMUP_CLIENTS = 500;

    @Override
    public String id() {
        return "W4";
    }

    @Override
    public String title() {
        return "many logged-in idle clients in one JVM: heap, threads, time to connect";
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        int small = env.options().clientsSmall();
        int large = env.options().clientsLarge();
        Path state = env.options().state();
        Path marker = state.resolve("accounts.txt");
        int signedUp = Files.isRegularFile(marker) ? Integer.parseInt(Files.readString(marker).strip()) : 0;
        boolean reused = signedUp >= large;
        Files.createDirectories(state);
        List<Result> rows = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(state.resolve("server"), "2g")) {
            String age = "";
            if (!reused) {
                long t0 = System.nanoTime();
                signUpAll(server, state, large);
                Files.writeString(marker, Integer.toString(large));
                rows.add(Result.value("W4.setup", "sign up " + large + " accounts (once; reused later)", "-", "s",
                        (System.nanoTime() - t0) / 1e9, Result.Verdict.INFO, SIGN_UP_PARALLEL
                                + " in parallel; server-side PBKDF2 bound"));
            } else {
                Duration d = Duration.between(Files.getLastModifiedTime(marker).toInstant(), Instant.now());
                age = d.toHours() >= 1 ? " (access tokens of the stored sessions expired: each refreshes first)" : "";
                System.out.println("   reusing " + signedUp + " accounts signed up " + d.toMinutes()
                        + " min ago in " + state);
            }

            ClientFactory factory = ClientFactory.standalone();
            List<Client> clients = new ArrayList<>(large);
            try {
                // warm-up: the JIT of both JVMs, and the server's first connections, before anything is measured
                List<Client> warm = new ArrayList<>();
                openClients(factory, server, state, warm, 0, Math.min(WARMUP_CLIENTS, small));
                warm.forEach(Client::close);
                Env.pause(1_000);
                long heap0 = Env.usedHeapAfterGc();
                int threads0 = ManagementFactory.getThreadMXBean().getThreadCount();

                double connectSmall = openClients(factory, server, state, clients, 0, small);
                check(clients);
                Env.pause(2_000);
                long heap1 = Env.usedHeapAfterGc();
                int threads1 = ManagementFactory.getThreadMXBean().getThreadCount();
                String threadNames1 = threadGroups();

                double connectMore = openClients(factory, server, state, clients, small, large);
                check(clients);
                Env.pause(2_000);
                long heap2 = Env.usedHeapAfterGc();
                int threads2 = ManagementFactory.getThreadMXBean().getThreadCount();
                String threadNames2 = threadGroups();
                printHistogram(large);

                double kb1 = (heap1 - heap0) / 1024.0 / small;
                double kb2 = (heap2 - heap0) / 1024.0 / large;
                double marginal = large > small ? (heap2 - heap1) / 1024.0 / (large - small) : kb1;
                rows.add(Result.value("W4.heap." + small, "heap per client, " + small + " clients", "<=20 KB", "KB",
                        kb1, Result.verdict(kb1 <= TARGET_KB), String.format(Locale.ROOT,
                                "used heap after GC %.1f MiB -> %.1f MiB", heap0 / 1048576.0, heap1 / 1048576.0)));
                rows.add(Result.value("W4.heap." + large, "heap per client, " + large + " clients", "<=20 KB", "KB",
                        kb2, Result.verdict(kb2 <= TARGET_KB), String.format(Locale.ROOT,
                                "used heap after GC -> %.1f MiB", heap2 / 1048576.0)));
                rows.add(Result.value("W4.heap.marginal", "heap per added client " + small + "->" + large,
                        "<=20 KB", "KB", marginal, Result.verdict(marginal <= TARGET_KB),
                        "without the fixed costs (shared Jetty client, factory)"));
                boolean flat = threads2 <= threads1 + 2;
                rows.add(Result.value("W4.threads", "threads: none / " + small + " / " + large + " clients",
                        "flat", "thr", threads2, Result.verdict(flat), String.format(Locale.ROOT,
                                "%d / %d / %d; at %d: %s; at %d: %s", threads0, threads1, threads2, small,
                                threadNames1, large, threadNames2)));
                rows.add(Result.value("W4.connect." + small, "create " + small + " clients until all CONNECTED",
                        "-", "s", connectSmall / 1000, Result.Verdict.INFO, "from stored sessions" + age));
                rows.add(Result.value("W4.connect." + (large - small), "create " + (large - small)
                        + " more until all CONNECTED", "-", "s", connectMore / 1000, Result.Verdict.INFO,
                        String.format(Locale.ROOT, "%.0f clients/s", (large - small) / (connectMore / 1000))));
            } finally {
                long t0 = System.nanoTime();
                clients.forEach(Client::close);
                if (!clients.isEmpty()) {
                    rows.add(Result.value("W4.close", "close " + clients.size() + " clients", "-", "s",
                            (System.nanoTime() - t0) / 1e9, Result.Verdict.INFO, ""));
                }
            }
        }
        return rows;
    }

    private static Path folder(Path state, int i) {
        return state.resolve("clients").resolve("c" + i);
    }

    private static String user(int i) {
        return "w4u" + i;
    }

    /**
     * Signs up accounts {@code 0..n-1}, each by a client on its own data folder. Resumable: a folder
     * whose client is logged in at READY (its stored session) was signed up by an earlier, interrupted run.
     */
    private static void signUpAll(ServerProcess server, Path state, int n) throws Exception {
        ClientFactory factory = ClientFactory.standalone();
        Semaphore slots = new Semaphore(SIGN_UP_PARALLEL);
        List<CompletableFuture<?>> all = new ArrayList<>(n);
        AtomicLong done = new AtomicLong();
        System.out.println("   signing up " + n + " accounts (once; kept in " + state + ")");
        for (int i = 0; i < n; i++) {
            if (!slots.tryAcquire(120, TimeUnit.SECONDS)) {
                throw new CorrectnessException("W4 sign-up: no progress for 120 s at account " + i);
            }
            int index = i;
            Client c = factory.create(Env.APP, Sdk.config("w4s-" + i, server.im(), server.http(), folder(state, i)));
            CompletableFuture<?> f = Sdk.ready(c)
                    .thenCompose(x -> {
                        AccountManager account = x.require(AccountManager.class);
                        if (account.isLoggedIn()) {
                            return CompletableFuture.completedFuture(null);
                        }
                        // an interrupted run may have created the account but not stored its session
                        return account.signUp(user(index), Env.PASSWORD, null).handle((p, e) -> e == null
                                ? CompletableFuture.completedFuture(p)
                                : account.logIn(user(index), Env.PASSWORD)).thenCompose(x2 -> x2);
                    })
                    .whenComplete((p, e) -> {
                        c.close();
                        slots.release();
                        long d = done.incrementAndGet();
                        if (d % 1000 == 0) {
                            System.out.println("   ... " + d + " signed up");
                        }
                    });
            all.add(f);
        }
        Env.await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), 600_000, "W4 sign-ups");
    }

    /** @return ms from the first create until the last client is CONNECTED */
    private static double openClients(ClientFactory factory, ServerProcess server, Path state, List<Client> clients,
            int from, int to) throws Exception {
        List<CompletableFuture<Void>> connected = new ArrayList<>(to - from);
        AtomicLong last = new AtomicLong();
        long t0 = System.nanoTime();
        for (int i = from; i < to; i++) {
            Client c = factory.create(Env.APP, Sdk.config("w4-" + i, server.im(), server.http(), folder(state, i)));
            clients.add(c);
            connected.add(Sdk.readyAndConnected(c).whenComplete((v, e) -> last.accumulateAndGet(System.nanoTime(),
                    Math::max)));
        }
        Env.await(CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)), CONNECT_ALL_TIMEOUT_MS,
                "W4: " + (to - from) + " clients CONNECTED");
        return (last.get() - t0) / 1e6;
    }

    private static void check(List<Client> clients) {
        Set<String> users = new HashSet<>();
        for (Client c : clients) {
            ConnectService connect = c.require(ConnectService.class);
            CorrectnessException.check(c.require(AccountManager.class).isLoggedIn(), c.id() + " is not logged in");
            CorrectnessException.check(connect.state() == ConnectionState.CONNECTED,
                    c.id() + " is " + connect.state());
            CorrectnessException.check(users.add(connect.userId()),
                    c.id() + " is user " + connect.userId() + " like another client");
        }
        CorrectnessException.check(users.size() == clients.size(), "W4: " + users.size() + " distinct users for "
                + clients.size() + " clients");
    }

    /** Prints the biggest classes of the live heap (what the clients' bytes are made of). */
    private static void printHistogram(int clients) {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] lines = String.valueOf(out).split("\n");
            System.out.println("   live heap with " + clients + " clients, biggest classes (bytes/client = bytes / "
                    + clients + "):");
            for (int i = 0; i < Math.min(lines.length, 32); i++) {
                String[] f = lines[i].trim().split("\\s+");
                String perClient = "";
                if (f.length >= 4 && f[2].matches("\\d+")) {
                    perClient = String.format(Locale.ROOT, "  %7.1f B/client", Long.parseLong(f[2]) / (double) clients);
                }
                System.out.println("   | " + lines[i] + perClient);
            }
        } catch (Exception e) {
            System.out.println("   (no class histogram: " + e + ")");
        }
    }

    /** @return live threads grouped by name with trailing numbers removed, such as {@code m800-io x4} */
    static String threadGroups() {
        Map<String, Integer> groups = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName().replaceAll("[-_ ]?\\d+$", "").replaceAll("@[0-9a-f]+", "");
            groups.merge(name, 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        groups.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(v > 1 ? " x" + v : ""));
        return b.toString();
    }
}
