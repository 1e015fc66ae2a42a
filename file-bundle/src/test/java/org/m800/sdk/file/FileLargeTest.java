package org.m800.sdk.file;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.file.FileFixture.sha256;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.testing.ReferenceServerFixture;
import org.m800.server.ApplicationRegistration;
import org.m800.server.ReferenceServer;

/**
 * A 200 MiB file up and down through a client JVM with a 64 MiB heap (the file never sits in memory),
 * and the boundary between carriers: another carrier's user gets NOT_FOUND for a file that exists.
 */
public class FileLargeTest {

    private static final long MIB = 1024 * 1024;
    private static final AppMeta OTHER = AppMeta.builder().carrier("other.m800").applicationIdentifier("org.other")
            .applicationKey("other-key").applicationSecret("other-secret").developerKey("other-dev")
            .applicationVersion("1.0").build();

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();
    private ReferenceServer server;
    private final List<Client> clients = new java.util.ArrayList<>();

    @After
    public void stop() {
        clients.forEach(Client::close);
        if (server != null) {
            server.close();
        }
    }

    private ReferenceServer start() throws Exception {
        server = ReferenceServer.builder().port(0).dataDirectory(temp.newFolder("server").toPath())
                .maxFileSize(300 * MIB).storagePerUser(1024 * MIB)
                .application(new ApplicationRegistration(OTHER.carrier(), OTHER.applicationIdentifier(),
                        OTHER.applicationKey(), OTHER.applicationSecret(), OTHER.developerKey()))
                .build().start();
        return server;
    }

    @Test
    public void twoHundredMebibytesGoUpAndDownThroughA64MebibyteHeap() throws Exception {
        start();
        Path file = temp.newFolder().toPath().resolve("big.bin");
        try (var out = Files.newOutputStream(file)) {
            java.util.Random r = new java.util.Random(200);
            byte[] buf = new byte[(int) MIB];
            for (int i = 0; i < 200; i++) {
                r.nextBytes(buf);
                out.write(buf);
            }
        }
        String sha = sha256(file);
        Path target = temp.newFolder().toPath().resolve("back.bin");
        Path log = temp.newFile("child.log").toPath();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                RoundTripChild.class.getName(), server.imUri().toString(), server.httpUri().toString(),
                temp.newFolder().toString(), file.toString(), target.toString(), "big");
        pb.redirectError(log.toFile());
        Process child = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue("the child failed (see " + Files.readString(log) + ")", child.waitFor(10, TimeUnit.MINUTES));
            assertEquals("child output; log: " + Files.readString(log), "OK " + sha + " " + sha, line);
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly();
        }
        assertEquals(sha, sha256(target));
    }

    @Test
    public void anotherCarriersUserCannotDownloadTheFile() throws Exception {
        start();
        Client ann = open(ReferenceServerFixture.DEV_APP, "ann");
        Client zed = open(OTHER, "zed");
        Path file = temp.newFolder().toPath().resolve("mine.bin");
        Files.write(file, new byte[5000]);
        FileInfo info = FileFixture.get(FileFixture.files(ann).upload(file, null, null).result());
        assertEquals(ErrorCode.NOT_FOUND, ReferenceServerFixture.failure(FileFixture.files(zed)
                .download(info.fileId(), temp.newFolder().toPath().resolve("x")).result()).code());
        assertEquals(ErrorCode.NOT_FOUND, ReferenceServerFixture.failure(FileFixture.files(zed).info(info.fileId()))
                .code());
    }

    private Client open(AppMeta app, String user) throws Exception {
        ClientConfig config = ClientConfig.builder().clientId(user).imServers(List.of(server.imUri()))
                .signUpServers(List.of(server.httpUri())).dataDirectory(temp.newFolder().toPath()).build();
        Client c = ClientFactory.standalone().create(app, config);
        clients.add(c);
        CountDownLatch ready = new CountDownLatch(1);
        c.on(ClientEvent.FEATURE_READY, n -> {
            if (n.equals(FileManager.MODULE)) {
                ready.countDown();
            }
        });
        assertTrue(ready.await(30, TimeUnit.SECONDS));
        // no wait for the feature's log-in hook: a transfer just after the sign-up takes the user from the account
        FileFixture.get(c.require(AccountManager.class).signUp(user, user + "-password", null));
        return c;
    }
}
