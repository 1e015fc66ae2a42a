package org.m800.sdk.file;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.testing.ReferenceServerFixture;

/**
 * The child JVM of {@link FileLargeTest}, started with a small heap: signs a user up, uploads a file,
 * downloads it, and prints {@code OK <sha256 up> <sha256 down>}. Arguments: im http data file target user.
 */
public final class RoundTripChild {

    private RoundTripChild() {
    }

    public static void main(String[] args) throws Exception {
        ClientConfig config = ClientConfig.builder().clientId(args[5]).imServers(List.of(URI.create(args[0])))
                .signUpServers(List.of(URI.create(args[1]))).dataDirectory(Path.of(args[2])).build();
        try (Client c = ClientFactory.standalone().create(ReferenceServerFixture.DEV_APP, config)) {
            java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
            c.on(ClientEvent.FEATURE_READY, n -> {
                if (n.equals(FileManager.MODULE)) {
                    ready.countDown();
                }
            });
            ready.await(30, TimeUnit.SECONDS);
            c.require(AccountManager.class).signUp(args[5], args[5] + "-password", null).get(30, TimeUnit.SECONDS);
            FileManager fm = c.require(FileManager.class);
            Transfer up = fm.upload(Path.of(args[3]), null, null);
            for (int i = 0; i < 200 && up.state() == TransferState.FAILED; i++) {
                Thread.sleep(50); // the user is not known to the feature yet
                up = fm.upload(Path.of(args[3]), null, null);
            }
            FileInfo info = up.result().get(10, TimeUnit.MINUTES);
            FileInfo down = fm.download(info.fileId(), Path.of(args[4])).result().get(10, TimeUnit.MINUTES);
            System.out.println("OK " + info.sha256() + " " + down.sha256());
        }
        System.exit(0);
    }
}
