package org.m800.sdk.file;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.testing.ReferenceServerFixture;

/**
 * The child JVM of {@link FileKillTest}: opens a client on a data folder (logged in from its stored
 * session), starts an upload and prints {@code TRANSFER <id>} and {@code PROGRESS <bytes>} lines until it
 * is killed.
 */
public final class UploadChild {

    private UploadChild() {
    }

    public static void main(String[] args) throws Exception {
        URI im = URI.create(args[0]);
        URI http = URI.create(args[1]);
        URI files = URI.create(args[2]);
        Path data = Path.of(args[3]);
        Path source = Path.of(args[4]);
        ClientConfig config = ClientConfig.builder().clientId("ann").imServers(List.of(im)).signUpServers(List.of(http))
                .fileServers(List.of(files)).dataDirectory(data).build();
        Client c = ClientFactory.standalone().create(ReferenceServerFixture.DEV_APP, config);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(FileManager.MODULE)) {
                ready.countDown();
            }
        });
        if (!ready.await(30, TimeUnit.SECONDS)) {
            System.out.println("NOT READY");
            System.exit(2);
        }
        FileManager fm = c.require(FileManager.class);
        Transfer t = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            t = fm.upload(source, null, null);
            if (t.state() != TransferState.FAILED) {
                break;
            }
            Thread.sleep(50); // the logged-in user is not known to the feature yet
        }
        System.out.println("TRANSFER " + t.id());
        System.out.flush();
        t.onProgress(p -> {
            System.out.println("PROGRESS " + p.bytesDone());
            System.out.flush();
        });
        Thread.sleep(Long.MAX_VALUE);
    }
}
