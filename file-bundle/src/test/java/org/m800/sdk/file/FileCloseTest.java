package org.m800.sdk.file;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.file.FileFixture.files;
import static org.m800.sdk.testing.ReferenceServerFixture.failure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;

/**
 * Closing the client while the file feature's blocking work is busy: every future it handed out completes,
 * including those whose work still waited for a thread. The file server is a socket that accepts and never
 * answers, so the work threads are held for as long as the test wants.
 */
public class FileCloseTest {
    private final TemporaryFolder temp = new TemporaryFolder();
    private final FileFixture fx = new FileFixture(temp);

    @Rule
    public final RuleChain rules = RuleChain.outerRule(temp).around(fx);

    @Test
    public void closeCompletesTheFuturesOfWorkThatWaitedForAThread() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        CountDownLatch firstRequest = new CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                        firstRequest.countDown();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            }, "test-silent-file-server");
            acceptor.start();
            try {
                Client c = fx.newUser("alice", fx.newDataDirectory(), URI.create("http://127.0.0.1:" + silent.getLocalPort()));
                FileManager files = files(c);
                // the feature's two work threads wait for the silent server; the third waits for a thread
                CompletableFuture<FileInfo> first = files.info("f-one");
                CompletableFuture<FileInfo> second = files.info("f-two");
                assertTrue("no request reached the file server", firstRequest.await(20, TimeUnit.SECONDS));
                CompletableFuture<FileInfo> queued = files.info("f-three");
                c.close();
                for (CompletableFuture<FileInfo> f : List.of(first, second)) {
                    failure(f);
                }
                assertEquals(ErrorCode.CLOSED, failure(queued).code());
            } finally {
                silent.close();
                acceptor.join(20_000);
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
