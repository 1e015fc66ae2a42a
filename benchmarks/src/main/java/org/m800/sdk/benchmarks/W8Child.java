package org.m800.sdk.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileManager;

/**
 * W8's SDK side, in a child JVM of its own (so its heap is the SDK's): signs a user up, uploads and
 * downloads the file {@code warmups} times unmeasured (as the ceiling downloads once before it measures),
 * then {@code runs} times through the file feature, checks every hash, and prints
 * {@code RESULT upload <ms>}, {@code RESULT download <ms>} for each measured transfer and
 * {@code RESULT heap <baseline> <peak> <after>}. Arguments: im http fileServer dataDir file runs username
 * [warmups, default 0].
 */
public final class W8Child {

    private W8Child() {
    }

    public static void main(String[] args) throws Exception {
        URI im = URI.create(args[0]);
        URI http = URI.create(args[1]);
        URI files = URI.create(args[2]);
        Path data = Path.of(args[3]);
        Path file = Path.of(args[4]);
        int runs = Integer.parseInt(args[5]);
        String user = args[6];
        int warmups = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        ClientConfig config = ClientConfig.builder().clientId(user).imServers(List.of(im)).signUpServers(List.of(http))
                .fileServers(List.of(files)).dataDirectory(data)
                // the sign-up hashes a password on a server that may share the machine with other work
                .requestTimeout(java.time.Duration.ofSeconds(60)).build();
        Client c = ClientFactory.standalone().create(Env.APP, config);
        try {
            Env.await(Sdk.featureReady(c, FileManager.MODULE), 60_000, "the file feature");
            Env.await(c.require(AccountManager.class).signUp(user, Env.PASSWORD, null), 60_000, "sign-up");
            FileManager fm = c.require(FileManager.class);
            String expected = null;
            long baseline = Env.usedHeapAfterGc();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicLong peak = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "w8-heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            for (int r = 0; r < warmups + runs; r++) {
                String result = r < warmups ? "WARM-UP " : "RESULT ";
                FileInfo up = null;
                // the user becomes known to the feature just after the sign-up: a refused first try is retried
                for (int attempt = 0; attempt < 100 && up == null; attempt++) {
                    long t0 = System.nanoTime();
                    try {
                        up = Env.await(fm.upload(file, null, null).result(), 600_000, "upload");
                        System.out.println(result + "upload " + (System.nanoTime() - t0) / 1_000_000);
                    } catch (Exception e) {
                        if (!String.valueOf(e.getMessage()).contains("no user is logged in")) {
                            throw e;
                        }
                        Thread.sleep(50);
                    }
                }
                if (up == null) {
                    throw new CorrectnessException("the upload never started");
                }
                if (expected == null) {
                    expected = up.sha256();
                }
                CorrectnessException.check(expected.equals(up.sha256()), "upload hash " + up.sha256());
                Path target = data.resolve("download.bin");
                long t1 = System.nanoTime();
                FileInfo down = Env.await(fm.download(up.fileId(), target).result(), 600_000, "download");
                System.out.println(result + "download " + (System.nanoTime() - t1) / 1_000_000);
                CorrectnessException.check(expected.equals(down.sha256()), "download hash " + down.sha256());
                CorrectnessException.check(Files.size(target) == Files.size(file), "download size");
                Files.delete(target);
            }
            sampling.set(false);
            sampler.join();
            System.out.println("RESULT heap " + baseline + " " + peak.get() + " " + Env.usedHeapAfterGc());
            System.out.flush();
        } finally {
            c.close();
        }
    }
}
