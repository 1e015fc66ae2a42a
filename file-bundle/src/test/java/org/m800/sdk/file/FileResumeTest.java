package org.m800.sdk.file;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.file.FileFixture.files;
import static org.m800.sdk.file.FileFixture.get;
import static org.m800.sdk.file.FileFixture.sha256;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.testing.ReferenceServerFixture;
import org.m800.sdk.testing.TcpProxy;

/** Transfers across network cuts and client restarts: they finish, verified, without starting over. */
public class FileResumeTest {

    private static final long MIB = 1024 * 1024;

    private final TemporaryFolder temp = new TemporaryFolder();
    private final FileFixture fx = new FileFixture(temp);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void cutsAtRandomPointsAreResumedFromTheServersOffsetAndTheRange() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fx.server().httpUri(), 42)) {
            Client ann = fx.newUser("ann", fx.newDataDirectory(), proxy.uri());
            long size = 40 * MIB;
            Path source = fx.randomFile("big.bin", size, 7);
            String sha = sha256(source);

            proxy.cut(6, 2 * MIB, 12 * MIB);
            long before = proxy.upstream.get();
            FileInfo info = get(files(ann).upload(source, null, null).result());
            long sent = proxy.upstream.get() - before;
            int upCuts = proxy.cuts.getAndSet(0);
            assertEquals(sha, info.sha256());
            assertTrue("no connection was cut during the upload", upCuts > 0);
            // each cut loses at most the chunk in flight; restarting from zero would send several times the file
            assertTrue("sent " + sent + " bytes for " + size + " with " + upCuts + " cuts",
                    sent <= size + (upCuts + 1L) * FileManager.CHUNK_SIZE + MIB);

            proxy.cut(6, 2 * MIB, 12 * MIB);
            long received = proxy.downstream.get();
            Path target = fx.newFolder().resolve("big.bin");
            FileInfo got = get(files(ann).download(info.fileId(), target).result());
            long down = proxy.downstream.get() - received;
            int downCuts = proxy.cuts.get();
            assertEquals(sha, got.sha256());
            assertEquals(sha, sha256(target));
            assertTrue("no connection was cut during the download", downCuts > 0);
            assertTrue("received " + down + " bytes for " + size + " with " + downCuts + " cuts",
                    down <= size + MIB);
        }
    }

    @Test
    public void aClientClosedMidUploadGoesOnWhenOpenedAgainOnItsDataFolder() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fx.server().httpUri(), 1)) {
            Path data = fx.newDataDirectory();
            Client ann = fx.newUser("ann", data, proxy.uri());
            long size = 24 * MIB;
            Path source = fx.randomFile("resume.bin", size, 3);
            String sha = sha256(source);
            proxy.rate(8 * MIB);
            Transfer t = files(ann).upload(source, null, null);
            CountDownLatch third = new CountDownLatch(1);
            t.onProgress(p -> {
                if (p.bytesDone() > size / 3) {
                    third.countDown();
                }
            });
            assertTrue("the upload did not get a third of the way", third.await(60, TimeUnit.SECONDS));
            ann.close();
            assertEquals(ErrorCode.CLOSED, ReferenceServerFixture.failure(t.result()).code());
            long sentBefore = proxy.upstream.get();
            proxy.rate(0);

            Client again = fx.open("ann", data, proxy.uri());
            Transfer resumed = waitForTransfer(files(again), t.id());
            FileInfo info = get(resumed.result());
            assertEquals(sha, info.sha256());
            long total = proxy.upstream.get();
            assertTrue("sent " + total + " in all (" + sentBefore + " before the restart) for " + size,
                    total <= size + 2L * FileManager.CHUNK_SIZE + MIB);
            assertEquals(info.fileId(), resumed.fileId().orElseThrow());
        }
    }

    @Test
    public void pauseKeepsTheBytesAndResumeFinishesCancelEnds() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fx.server().httpUri(), 2)) {
            Client ann = fx.newUser("ann", fx.newDataDirectory(), proxy.uri());
            long size = 16 * MIB;
            Path source = fx.randomFile("p.bin", size, 4);
            proxy.rate(8 * MIB);
            Transfer t = files(ann).upload(source, null, null);
            CountDownLatch some = new CountDownLatch(1);
            t.onProgress(p -> {
                if (p.bytesDone() >= FileManager.CHUNK_SIZE) {
                    some.countDown();
                }
            });
            assertTrue(some.await(60, TimeUnit.SECONDS));
            t.pause();
            waitState(files(ann), t, TransferState.PAUSED);
            long done = t.progress().bytesDone();
            assertTrue(done >= FileManager.CHUNK_SIZE);
            proxy.rate(0);
            t.resume();
            assertEquals(sha256(source), get(t.result()).sha256());

            proxy.rate(4 * MIB);
            Transfer c = files(ann).upload(source, "c.bin", null);
            c.cancel();
            assertEquals(ErrorCode.ILLEGAL_STATE, ReferenceServerFixture.failure(c.result()).code());
            assertEquals(TransferState.CANCELLED, c.state());
        }
    }

    @Test
    public void atMostTheConfiguredNumberRunAtOnceTheOthersWait() throws Exception {
        try (TcpProxy proxy = new TcpProxy(fx.server().httpUri(), 5)) {
            Client ann = fx.newUser("ann", fx.newDataDirectory(), proxy.uri());
            proxy.rate(2 * MIB);
            Path source = fx.randomFile("q.bin", 3 * MIB, 5);
            Transfer[] ts = new Transfer[5];
            // every state change, in order (one event thread per client): the running set is exact, not sampled
            Set<String> running = new HashSet<>();
            AtomicInteger mostRunning = new AtomicInteger();
            CountDownLatch ended = new CountDownLatch(ts.length);
            Subscription watch = files(ann).addListener(new FileListener() {
                @Override
                public void transferStateChanged(Transfer t, TransferState state) {
                    if (state == TransferState.RUNNING) {
                        running.add(t.id());
                    } else {
                        running.remove(t.id());
                    }
                    mostRunning.accumulateAndGet(running.size(), Math::max);
                    if (state.isFinal()) {
                        ended.countDown();
                    }
                }
            });
            try {
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = files(ann).upload(source, "q" + i, null);
                }
                for (Transfer t : ts) {
                    get(t.result());
                }
                assertTrue("the listener heard every transfer end", ended.await(30, TimeUnit.SECONDS));
            } finally {
                watch.close();
            }
            int maxRunning = mostRunning.get();
            assertTrue("running at once: " + maxRunning, maxRunning <= FileManager.DEFAULT_MAX_CONCURRENT);
            assertTrue("running at once: " + maxRunning, maxRunning >= 1);
        }
    }

    /** Waits for the transfer the client restored from its storage (told by transferAdded, or there already). */
    static Transfer waitForTransfer(FileManager files, String id) throws InterruptedException {
        CompletableFuture<Transfer> added = new CompletableFuture<>();
        Subscription watch = files.addListener(new FileListener() {
            @Override
            public void transferAdded(Transfer transfer) {
                if (transfer.id().equals(id)) {
                    added.complete(transfer);
                }
            }
        });
        try {
            // after the listener is in: restored before it, or told to it
            Optional<Transfer> there = files.transfer(id);
            if (there.isPresent()) {
                return there.get();
            }
            return added.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("transfer " + id + " was not restored within 30 s", e);
        } finally {
            watch.close();
        }
    }

    /** Waits for the transfer to be in that state (told by transferStateChanged, or in it already). */
    static void waitState(FileManager files, Transfer t, TransferState s) throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        Subscription watch = files.addListener(new FileListener() {
            @Override
            public void transferStateChanged(Transfer changed, TransferState state) {
                if (changed.id().equals(t.id()) && state == s) {
                    reached.countDown();
                }
            }
        });
        try {
            assertTrue(t + " never became " + s, t.state() == s || reached.await(30, TimeUnit.SECONDS));
        } finally {
            watch.close();
        }
    }
}
