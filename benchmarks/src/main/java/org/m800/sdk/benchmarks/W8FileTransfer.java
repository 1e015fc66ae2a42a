package org.m800.sdk.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * W8: file transfer. A 1 GiB file goes up (tus, checksummed chunks) and comes back down (verified
 * SHA-256) through the file feature of an SDK client in a child JVM with a 128 MiB heap, against the
 * reference server in another child JVM with a 256 MiB heap, on loopback; beside it, the ceiling: a bare
 * Jetty static-file download of the same file (ResourceHandler, plain HttpClient writing to a file) in
 * this JVM. Then an upload through a relay that cuts the connection once at 50 %: the bytes sent in all.
 */
final class W8FileTransfer implements Workload {

    static final long SIZE = 1L << 30;
    /**
     * Measured transfers per row (the ceiling's downloads, the uploads, the downloads), each row after
     * {@link #WARM_UPS} unmeasured ones: five, so that the median is a transfer in the middle (of two,
     * the median was the lower one).
     */
    static final int RUNS = 5;
    static final int WARM_UPS = 1;
    static final long TIMEOUT_MS = 30 * 60_000L;

    @Override
    public String id() {
        return "W8";
    }

    @Override
    public String title() {
        return "file transfer: 1 GiB up and down through the file feature vs a bare Jetty static download";
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        Path lib = Env.targetDirectory().resolve("lib");
        List<Path> jars = List.of(lib.resolve("chat-bundle.jar"), lib.resolve("file-bundle.jar"),
                lib.resolve("tika-core.jar"), lib.resolve("commons-io.jar"));
        for (Path j : jars) {
            if (!Files.isRegularFile(j)) {
                return List.of(Result.skip(id(), title(), ">=0.7x ceiling", j + " not found: build the benchmarks"
                        + " module with Maven (it copies the feature bundles there)"));
            }
        }
        Path root = env.scratch("w8");
        Path file = root.resolve("w8.bin");
        write(file);
        List<Result> rows = new ArrayList<>();
        try {
            double[] ceiling = ceiling(file, root);
            Stats ceilingStats = Stats.of(ceiling);
            rows.add(Result.stats("W8.ceiling", "bare Jetty static-file download of 1 GiB (same run)", "-", "MiB/s",
                    ceilingStats, Result.Verdict.INFO, "ResourceHandler + HttpClient to a file, loopback"));
            StringBuilder cp = new StringBuilder(Env.classPath());
            jars.forEach(j -> cp.append(File.pathSeparator).append(j));
            try (ServerProcess server = ServerProcess.start(root.resolve("server"), "256m", "--max-file-size",
                    Long.toString(2 * SIZE), "--storage-per-user", Long.toString(8 * SIZE))) {
                long serverBase = HeapSampler.usedAfterGc(server.pid());
                List<String> out;
                long serverPeak;
                try (HeapSampler sampler = HeapSampler.start(server.pid())) {
                    out = child(cp.toString(), server, server.http(), root.resolve("client"), file, RUNS, WARM_UPS,
                            "w8-user");
                    serverPeak = sampler.peak.get();
                }
                long serverAfter = HeapSampler.usedAfterGc(server.pid());
                double[] up = rates(out, "upload");
                double[] down = rates(out, "download");
                double c = ceilingStats.median();
                rows.add(Result.stats("W8.upload", "upload of 1 GiB through the file feature", ">=0.7x ceiling",
                        "MiB/s", Stats.of(up), Result.verdict(Stats.of(up).median() >= 0.7 * c),
                        String.format(java.util.Locale.ROOT, "%.2fx the ceiling", Stats.of(up).median() / c)));
                rows.add(Result.stats("W8.download", "download of 1 GiB, SHA-256 verified", ">=0.7x ceiling",
                        "MiB/s", Stats.of(down), Result.verdict(Stats.of(down).median() >= 0.7 * c),
                        String.format(java.util.Locale.ROOT, "%.2fx the ceiling", Stats.of(down).median() / c)));
                String[] heap = line(out, "heap").split(" ");
                double growth = (Long.parseLong(heap[1]) - Long.parseLong(heap[0])) / 1048576.0;
                double retained = (Long.parseLong(heap[2]) - Long.parseLong(heap[0])) / 1048576.0;
                rows.add(Result.value("W8.client-heap", "client heap: peak used minus the baseline (-Xmx128m)",
                        "<64 MiB", "MiB", growth, Result.verdict(growth < 64), String.format(java.util.Locale.ROOT,
                                "baseline %.1f MiB; %.1f MiB retained after GC", Long.parseLong(heap[0]) / 1048576.0,
                                retained)));
                double serverGrowth = (serverPeak - serverBase) / 1048576.0;
                rows.add(Result.value("W8.server-heap", "server heap: peak used minus the baseline (-Xmx256m)",
                        "<64 MiB", "MiB", serverGrowth, Result.verdict(serverPeak > 0 && serverGrowth < 64),
                        String.format(java.util.Locale.ROOT, "jstat every 100 ms; baseline %.1f MiB after GC; %.1f MiB"
                                + " retained after GC", serverBase / 1048576.0, (serverAfter - serverBase) / 1048576.0)));

                try (CuttingRelay relay = new CuttingRelay(server.http(), SIZE / 2)) {
                    child(cp.toString(), server, relay.uri(), root.resolve("client-cut"), file, 1, 0, "w8-cut");
                    double ratio = relay.upstream.get() / (double) SIZE;
                    CorrectnessException.check(relay.cut.get(), "the relay never cut the upload");
                    rows.add(Result.value("W8.cut", "upload cut once at 50 %, resumed: bytes sent / size", "<=1.05",
                            "x", ratio, Result.verdict(ratio <= 1.05), "includes the request headers"));
                }
            }
        } finally {
            Env.deleteTree(root);
        }
        return rows;
    }

    private static List<String> child(String cp, ServerProcess server, URI files, Path data, Path file, int runs,
            int warmups, String user) throws Exception {
        List<String> command = List.of(Env.javaBinary(), "-Xmx128m", "-cp", cp, W8Child.class.getName(),
                server.im().toString(), server.http().toString(), files.toString(), data.toString(), file.toString(),
                Integer.toString(runs), user, Integer.toString(warmups));
        ChildProcess p = ChildProcess.start(command, null);
        try {
            int status = p.awaitExit(TIMEOUT_MS);
            List<String> out = new ArrayList<>();
            for (ChildProcess.Line l : p.lines()) {
                if (l.text().startsWith("RESULT ")) {
                    out.add(l.text().substring(7));
                }
            }
            CorrectnessException.check(status == 0, "the W8 client ended with status " + status + "; output:\n"
                    + p.output());
            return out;
        } finally {
            p.close();
        }
    }

    private static double[] rates(List<String> out, String what) {
        return out.stream().filter(l -> l.startsWith(what + " ")).mapToDouble(
                l -> SIZE / 1048576.0 / (Long.parseLong(l.substring(what.length() + 1)) / 1000.0)).toArray();
    }

    private static String line(List<String> out, String what) {
        return out.stream().filter(l -> l.startsWith(what + " ")).findFirst().orElseThrow()
                .substring(what.length() + 1);
    }

    private static void write(Path file) throws IOException {
        SplittableRandom r = new SplittableRandom(8);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < SIZE; done += buf.length) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(buf);
            }
        }
    }

    /** @return MiB/s of a bare Jetty download of the file, {@link #RUNS} times after {@link #WARM_UPS} */
    private static double[] ceiling(Path file, Path root) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("w8-static");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ResourceHandler resources = new ResourceHandler();
        resources.setBaseResource(ResourceFactory.of(server).newResource(file.getParent()));
        server.setHandler(resources);
        HttpClient http = new HttpClient();
        QueuedThreadPool clientThreads = new QueuedThreadPool(8, 1);
        clientThreads.setName("w8-static-client");
        http.setExecutor(clientThreads);
        try {
            server.start();
            http.start();
            URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/" + file.getFileName());
            Path target = root.resolve("ceiling.bin");
            for (int w = 0; w < WARM_UPS; w++) {
                download(http, uri, target);
            }
            double[] rates = new double[RUNS];
            for (int r = 0; r < RUNS; r++) {
                long t0 = System.nanoTime();
                long n = download(http, uri, target);
                CorrectnessException.check(n == SIZE, "the static download got " + n + " bytes");
                rates[r] = SIZE / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
            }
            Files.deleteIfExists(target);
            return rates;
        } finally {
            http.stop();
            server.stop();
        }
    }

    private static long download(HttpClient http, URI uri, Path target) throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        http.newRequest(uri).send(listener);
        Response r = listener.get(60, TimeUnit.SECONDS);
        CorrectnessException.check(r.getStatus() == 200, "static download answered " + r.getStatus());
        long n = 0;
        try (InputStream in = listener.getInputStream(); OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[64 * 1024];
            int k;
            while ((k = in.read(buf)) > 0) {
                out.write(buf, 0, k);
                n += k;
            }
        }
        return n;
    }

    /** A TCP relay to the server that cuts the connection once, when the bytes up reach {@code cutAt}. */
    static final class CuttingRelay implements AutoCloseable {
        private final ServerSocket server;
        private final InetSocketAddress target;
        private final long cutAt;
        final AtomicLong upstream = new AtomicLong();
        final AtomicBoolean cut = new AtomicBoolean();
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread acceptor;

        CuttingRelay(URI to, long cutAt) throws IOException {
            this.target = new InetSocketAddress(to.getHost(), to.getPort());
            this.cutAt = cutAt;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.acceptor = new Thread(this::accept, "w8-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void accept() {
            while (true) {
                try {
                    Socket c = server.accept();
                    Socket u = new Socket();
                    u.connect(target, 5_000);
                    sockets.add(c);
                    sockets.add(u);
                    pump(c, u, true);
                    pump(u, c, false);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to, boolean up) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        if (up && upstream.addAndGet(n) >= cutAt && cut.compareAndSet(false, true)) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    // closed
                } finally {
                    close(from);
                    close(to);
                }
            }, "w8-relay-pump");
            t.setDaemon(true);
            t.start();
        }

        private static void close(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            sockets.forEach(CuttingRelay::close);
        }
    }
}
