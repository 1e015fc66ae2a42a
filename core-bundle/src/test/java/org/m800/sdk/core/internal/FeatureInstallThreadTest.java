package org.m800.sdk.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.testing.ReferenceServerFixture.failure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.testing.ReferenceServerFixture;

/**
 * {@code addFeature(location)} installs on a thread of its own: reading a bundle from a file or a URL
 * and starting it must not hold the event threads every client shares. The installer here blocks until
 * the test lets it go, as a slow download or a slow bundle start would.
 */
public class FeatureInstallThreadTest {
    private static final long SECONDS = 20;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final CountDownLatch release = new CountDownLatch(1);
    private final BlockingQueue<String> installThreads = new LinkedBlockingQueue<>();
    private final BundleInstaller slowInstaller = new BundleInstaller() {
        @Override
        public Installed install(String location) {
            installThreads.add(Thread.currentThread().getName());
            try {
                release.await(SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw M800Exception.invalidArgument(location + " holds no bundle (the test's installer)");
        }

        @Override
        public void uninstall(long bundleId) {
        }
    };
    private final SharedThreads threads = new SharedThreads();
    private final ClientRegistry registry = new ClientRegistry();

    @After
    public void tearDown() {
        release.countDown();
        registry.closeAll();
        threads.close();
    }

    /** A client whose bundle installs go to the slow installer. */
    private Client client(String id) throws IOException {
        ClientEnvironment env = new ClientEnvironment(threads,
                new ClassPathFeatureSource(getClass().getClassLoader()), slowInstaller, clientId -> Readiness.NONE);
        return registry.create(ReferenceServerFixture.DEV_APP, ClientConfig.builder().clientId(id)
                .imServers("ws://127.0.0.1:9/v1/im").dataDirectory(temp.newFolder().toPath()).build(), List.of(), env);
    }

    @Test
    public void slowInstallsLeaveTheEventThreadsFreeAndEveryFutureCompletes() throws Exception {
        Client client = client("installer");
        // more slow installs than there are event threads
        int n = SharedThreads.EVENT_THREADS + 1;
        List<CompletableFuture<String>> added = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            added.add(client.addFeature("file:/nowhere/feature-" + i + ".jar"));
        }
        String first = installThreads.poll(SECONDS, TimeUnit.SECONDS);
        assertTrue("the install runs on the install thread, not an event thread: " + first,
                first != null && first.startsWith("m800-feature-install"));

        CountDownLatch eventThreadFree = new CountDownLatch(SharedThreads.EVENT_THREADS);
        for (int i = 0; i < SharedThreads.EVENT_THREADS; i++) {
            threads.pool().execute(eventThreadFree::countDown);
        }
        assertTrue("an install held an event thread", eventThreadFree.await(SECONDS, TimeUnit.SECONDS));

        release.countDown();
        for (CompletableFuture<String> f : added) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, failure(f).code());
        }
    }

    @Test
    public void anInstallStillQueuedWhenTheClientClosesFailsItsFuture() throws Exception {
        Client client = client("closer");
        CompletableFuture<String> running = client.addFeature("file:/nowhere/a.jar");
        CompletableFuture<String> queued = client.addFeature("file:/nowhere/b.jar");
        installThreads.poll(SECONDS, TimeUnit.SECONDS); // a.jar is being installed, b.jar waits
        client.close();
        release.countDown();
        assertEquals(ErrorCode.INVALID_ARGUMENT, failure(running).code());
        assertEquals(ErrorCode.ILLEGAL_STATE, failure(queued).code());
        assertEquals("nothing installed for the closed client", 0, installThreads.size());
    }
}
