package org.m800.sdk.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.Profile;
import org.m800.server.ReferenceServer;

/**
 * W3: a new client, from {@code create} to a CONNECTED connection, against the reference server
 * in-process on loopback. Two paths an application takes:
 * <ul>
 * <li>password: create on an empty data folder, READY, {@code logIn(username, password)}, CONNECTED;</li>
 * <li>restore: create on the data folder of a client that logged in before (the stored session logs it
 * in again without the password), READY, CONNECTED.</li>
 * </ul>
 * Both over plain {@code ws://}/{@code http://} and over {@code wss://}/{@code https://}: for TLS the
 * workload makes a certificate with the JDK's {@code keytool}, serves it from a second server and
 * trusts it through {@link ClientConfig#trustStore()}.
 */
final class W3ConnectLogIn implements Workload {

    static final int WARMUP = 100; // the JIT needs this many before create() is steady
    static final int RUNS = 20;
    static final long TIMEOUT_MS = 30_000;
    static final String STORE_PASSWORD = "bench-store";

    @Override
    public String id() {
        return "W3";
    }

    @Override
    public String title() {
        return "new client: connect + log in until CONNECTED (plain ws:// and TLS wss://)";
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        Path root = env.scratch("w3");
        List<Result> rows = new ArrayList<>();
        ClientFactory factory = ClientFactory.standalone();
        try (ReferenceServer server = ReferenceServer.builder().port(0).dataDirectory(root.resolve("server"))
                .build().start()) {
            Configs plain = (id, dir) -> Sdk.config(id, server.imUri(), server.httpUri(), dir);
            measureBoth(factory, plain, root, "", "3", rows);
        }
        Path certs = env.scratch("w3-certs");
        Path keyStore = certs.resolve("server.p12");
        Path trustStore = certs.resolve("trust.p12");
        Certificates.make(keyStore, STORE_PASSWORD, trustStore, STORE_PASSWORD);
        try (ReferenceServer server = ReferenceServer.builder().port(0).dataDirectory(root.resolve("tls-server"))
                .keyStore(keyStore, STORE_PASSWORD).build().start()) {
            CorrectnessException.check(server.imUri().getScheme().equals("wss"), "the TLS server serves " + server.imUri());
            Configs tls = (id, dir) -> ClientConfig.builder().clientId(id).imServers(List.of(server.imUri()))
                    .signUpServers(List.of(server.httpUri())).dataDirectory(dir).trustStore(trustStore)
                    .trustStorePassword(STORE_PASSWORD).build();
            measureBoth(factory, tls, root.resolve("tls"), ".tls", "6", rows);
        }
        rows.add(Result.value("W3.probe.pbkdf2", "PBKDF2-SHA256 100k iterations, this JVM", "-", "ms",
                pbkdf2Probe(), Result.Verdict.INFO,
                "what the server's password check costs (median of 5): the floor of a password log-in"));
        return rows;
    }

    /** How a run's client is configured: its id and data folder in, the configuration out. */
    @FunctionalInterface
    interface Configs {
        ClientConfig of(String clientId, Path dataDirectory);
    }

    /**
     * Alone: no other client is open, as in a single-user application; with a neighbour: another client
     * of the same factory stays open and connected (a gateway), so the shared Jetty transport stays started.
     */
    private static void measureBoth(ClientFactory factory, Configs configs, Path root, String variant,
            String targetMs, List<Result> rows) throws Exception {
        String user = "w3user";
        signUp(factory, configs, root.resolve("setup"), user);
        measure(factory, configs, root.resolve("alone"), user, variant, targetMs, rows);
        // the neighbour is connected (on the set-up client's stored session), as a gateway's clients are: the
        // shared transport starts at a client's first use of the network, so an idle offline neighbour would
        // not keep it started
        try (Client neighbour = factory.create(Env.APP, configs.of("w3-neighbour", root.resolve("setup")))) {
            Env.await(Sdk.readyAndConnected(neighbour), TIMEOUT_MS, "neighbour READY and CONNECTED");
            measure(factory, configs, root.resolve("shared"), user, variant + ".shared", targetMs, rows);
        }
    }

    private static void measure(ClientFactory factory, Configs configs, Path root, String user, String variant,
            String targetMs, List<Result> rows) throws Exception {
        String when = (variant.endsWith(".shared") ? "another client open and connected" : "no other client open")
                + (variant.startsWith(".tls") ? "; wss:// and https://" : "; ws:// and http://");
        double target = Double.parseDouble(targetMs);
        double[] total = new double[RUNS];
        double[] create = new double[RUNS];
        double[] logIn = new double[RUNS];
        double[] logInAnswer = new double[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            double[] t = passwordRun(factory, configs, root.resolve("p" + (i + WARMUP)), "w3-p" + (i + WARMUP), user);
            if (i >= 0) {
                create[i] = t[0];
                logInAnswer[i] = t[1];
                logIn[i] = t[2];
                total[i] = t[0] + t[2];
            }
        }
        // restore: reopen the data folders the password runs left behind (their sessions are stored)
        double[] restore = new double[RUNS];
        for (int i = -WARMUP; i < RUNS; i++) {
            int folder = i + WARMUP;
            double t = restoreRun(factory, configs, root.resolve("p" + folder), "w3-r" + folder, user);
            if (i >= 0) {
                restore[i] = t;
            }
        }
        Stats st = Stats.of(total);
        Stats sr = Stats.of(restore);
        rows.add(Result.stats("W3.password" + variant, "create+READY+logIn until CONNECTED", "median<=" + targetMs
                + " ms", "ms", st, Result.verdict(st.median() <= target), when
                + "; log-in by password (PBKDF2 on the server)"));
        rows.add(Result.stats("W3.password" + variant + ".create", "  of which create until READY", "-", "ms",
                Stats.of(create), Result.Verdict.INFO, "empty data folder; no network"));
        rows.add(Result.stats("W3.password" + variant + ".logIn", "  of which logIn() until CONNECTED", "-", "ms",
                Stats.of(logIn), Result.Verdict.INFO, "HTTP log-in, session stored, then WebSocket + hello"));
        rows.add(Result.stats("W3.password" + variant + ".answer", "  of which logIn() until its future completes",
                "-", "ms", Stats.of(logInAnswer), Result.Verdict.INFO, ""));
        rows.add(Result.stats("W3.restore" + variant, "create on a stored session until CONNECTED", "median<="
                + targetMs + " ms", "ms", sr, Result.verdict(sr.median() <= target), when
                + "; no password: stored tokens, WebSocket + hello"));
    }

    private static void signUp(ClientFactory factory, Configs configs, Path dir, String user) throws Exception {
        try (Client c = factory.create(Env.APP, configs.of("w3-setup", dir))) {
            Env.await(Sdk.ready(c), TIMEOUT_MS, "setup client READY");
            Profile p = Env.await(c.require(AccountManager.class).signUp(user, Env.PASSWORD, null), TIMEOUT_MS,
                    "sign-up of " + user);
            CorrectnessException.check(user.equals(p.username()), "sign-up answered user " + p.username());
        }
    }

    /** @return {create until READY, logIn until its answer, logIn until CONNECTED} in ms */
    private static double[] passwordRun(ClientFactory factory, Configs configs, Path dir, String id, String user)
            throws Exception {
        long t0 = System.nanoTime();
        Client c = factory.create(Env.APP, configs.of(id, dir));
        try {
            Env.await(Sdk.ready(c), TIMEOUT_MS, id + " READY");
            long t1 = System.nanoTime();
            var connected = Sdk.connected(c);
            Profile p = Env.await(c.require(AccountManager.class).logIn(user, Env.PASSWORD), TIMEOUT_MS,
                    id + " logIn");
            long t2 = System.nanoTime();
            Env.await(connected, TIMEOUT_MS, id + " CONNECTED");
            long t3 = System.nanoTime();
            check(c, p, user);
            return new double[] {ms(t1 - t0), ms(t2 - t1), ms(t3 - t1)};
        } finally {
            c.close();
        }
    }

    private static double restoreRun(ClientFactory factory, Configs configs, Path dir, String id, String user)
            throws Exception {
        long t0 = System.nanoTime();
        Client c = factory.create(Env.APP, configs.of(id, dir));
        try {
            Env.await(Sdk.readyAndConnected(c), TIMEOUT_MS, id + " READY and CONNECTED from the stored session");
            long t1 = System.nanoTime();
            AccountManager account = c.require(AccountManager.class);
            CorrectnessException.check(account.isLoggedIn(), id + ": connected but not logged in");
            check(c, account.profile().orElseThrow(() -> new CorrectnessException(id + ": no profile")), user);
            return ms(t1 - t0);
        } finally {
            c.close();
        }
    }

    private static void check(Client c, Profile p, String user) {
        ConnectService connect = c.require(ConnectService.class);
        CorrectnessException.check(connect.state() == ConnectionState.CONNECTED,
                c.id() + ": state " + connect.state() + " after CONNECTED");
        CorrectnessException.check(user.equals(p.username()), c.id() + ": logged in as " + p.username());
        CorrectnessException.check(p.userId().equals(connect.userId()),
                c.id() + ": the hello confirmed user " + connect.userId() + ", the profile says " + p.userId());
    }

    /** The cost of one PBKDF2-HMAC-SHA256 with the server's parameters (100,000 iterations, 256 bits). */
    private static double pbkdf2Probe() throws Exception {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        double[] t = new double[5];
        for (int i = -3; i < t.length; i++) {
            long t0 = System.nanoTime();
            f.generateSecret(new PBEKeySpec(Env.PASSWORD.toCharArray(), new byte[16], 100_000, 256)).getEncoded();
            if (i >= 0) {
                t[i] = ms(System.nanoTime() - t0);
            }
        }
        return Stats.of(t).median();
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
