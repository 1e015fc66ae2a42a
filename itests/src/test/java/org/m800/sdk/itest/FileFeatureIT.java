package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileInfo;
import org.m800.sdk.file.FileManager;
import org.m800.sdk.file.Transfer;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The file bundle of the reactor (with the chat bundle it needs, Apache Tika core and Commons IO)
 * hot-installed into a running framework with a client of the real reference server (outer JVM):
 * FEATURE_READY("file"); an upload through a relay that holds its bytes is in flight when the bundle
 * stops: its future fails with CLOSED, FEATURE_UNAVAILABLE, no service, listener or thread of the bundle
 * is left; started again, the new module goes on with the same transfer and completes it, verified.
 * Also checks the embedded libraries resolve in Felix: an image's thumbnail is made (ImageIO with the
 * TwelveMonkeys readers registered, Thumbnailator, metadata-extractor) and the type is detected by Tika.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class FileFeatureIT extends ServerTestSupport {

    private static final String FEATURE = "file";

    @Test
    public void aTransferInFlightWhenTheBundleStopsGoesOnWhenItStartsAgain() throws Exception {
        HoldingProxy relay = afterTest(new HoldingProxy(java.net.URI.create(httpServer())));
        Client ann = newClient(serverConfig("file-ann").fileServers(relay.uri().toString()).build(), List.of());
        awaitReady(ann);
        signUpAndConnect(ann, "file-ann");
        Events events = events(ann);

        List<Bundle> installed = new ArrayList<>();
        for (String artifact : List.of("chat-bundle", "commons-io", "tika-core", "file-bundle")) {
            Bundle b = bundleContext.installBundle(TestBundles.runtimeLocation(artifact));
            installed.add(0, b);
        }
        afterTest(() -> {
            for (Bundle b : installed) {
                if (b.getState() != Bundle.UNINSTALLED) {
                    b.uninstall();
                }
            }
        });
        Bundle file = installed.get(0);
        int mark = events.mark();
        for (int i = installed.size() - 1; i >= 0; i--) {
            installed.get(i).start();
        }
        events.await(mark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        ServiceListenerCounter listeners = afterTest(new ServiceListenerCounter(bundleContext, file));

        WithTheFeature steps = new WithTheFeature(ann);
        steps.mediaIsAnalysedInsideTheFramework();
        String transferId = steps.startAnUploadAndHoldItInFlight(relay);

        mark = events.mark();
        file.stop();
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        steps.theUploadFailedClosed();
        assertFalse(ann.module(FEATURE).isPresent());
        assertTrue("the client stays ready", ann.isReady());
        assertEquals(ConnectionState.CONNECTED, ann.require(ConnectService.class).state());
        assertNull("no service of the file bundle is left", file.getRegisteredServices());
        assertNull("the file bundle uses no service any more", file.getServicesInUse());
        assertEquals("service listeners of the file bundle", 0, listeners.count());
        relay.release();
        waitUntil("no thread runs file code", () -> threadsInFileCode().isEmpty(), TIMEOUT_S);

        mark = events.mark();
        file.start();
        events.await(mark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        steps.theSameTransferCompletesVerified(transferId);

        file.stop();
        waitUntil("no thread runs file code at the end", () -> threadsInFileCode().isEmpty(), TIMEOUT_S);
    }

    /** Threads named by the file feature or with a frame of its code on their stacks. */
    private static List<String> threadsInFileCode() {
        List<String> found = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("m800-file-")) {
                found.add(t.getName());
                return;
            }
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith("org.m800.sdk.file.")) {
                    found.add(t.getName() + " in " + frame);
                    break;
                }
            }
        });
        return found;
    }

    /*
     * Members of this class must not name a type of the file API in their signatures: JUnit reads and
     * links the class before the bundle is installed. The nested class below is loaded only once it is.
     */

    /** The part of the test that uses the file API. */
    private final class WithTheFeature {
        private final Client ann;
        private final FileManager files;
        private Path source;
        private String sha;
        private Transfer first;

        WithTheFeature(Client ann) {
            this.ann = ann;
            this.files = ann.require(FileManager.class);
        }

        void mediaIsAnalysedInsideTheFramework() throws Exception {
            Path png = Files.createTempFile("itest-", ".bin");
            afterTest(() -> Files.deleteIfExists(png));
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(640, 480,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            javax.imageio.ImageIO.write(img, "png", png.toFile());
            var info = await(files.analyze(png), "analyze");
            assertEquals("image/png", info.mimeType());
            assertEquals(Long.valueOf(640), info.width());
            assertTrue(info.thumbnail().length > 0);
        }

        String startAnUploadAndHoldItInFlight(HoldingProxy relay) throws Exception {
            source = Files.createTempFile("itest-upload-", ".bin");
            afterTest(() -> Files.deleteIfExists(source));
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            Random r = new Random(5);
            try (OutputStream out = Files.newOutputStream(source)) {
                for (int i = 0; i < 12; i++) {
                    r.nextBytes(buf);
                    out.write(buf);
                    d.update(buf);
                }
            }
            sha = HexFormat.of().formatHex(d.digest());
            first = files.upload(source, null, null);
            CompletableFuture<Void> oneChunk = new CompletableFuture<>();
            first.onProgress(p -> {
                if (p.bytesDone() >= FileManager.CHUNK_SIZE) {
                    relay.hold();
                    oneChunk.complete(null);
                }
            });
            await(oneChunk, "the first chunk");
            relay.awaitHeld(TIMEOUT_S);
            return first.id();
        }

        void theUploadFailedClosed() throws Exception {
            try {
                first.result().get(TIMEOUT_S, TimeUnit.SECONDS);
                throw new AssertionError("the upload completed while its bytes were held");
            } catch (ExecutionException e) {
                assertEquals(ErrorCode.CLOSED, ((M800Exception) e.getCause()).code());
            }
        }

        void theSameTransferCompletesVerified(String transferId) throws Exception {
            FileManager again = ann.require(FileManager.class);
            assertNotSame(files, again);
            waitUntil("the transfer is restored", () -> again.transfer(transferId).isPresent(), TIMEOUT_S);
            FileInfo info = await(again.transfer(transferId).orElseThrow().result(), "the resumed upload");
            assertEquals(sha, info.sha256());
            assertEquals(12L << 20, info.size());
            assertEquals(sha, await(again.info(info.fileId()), "info").sha256());
        }
    }
}
