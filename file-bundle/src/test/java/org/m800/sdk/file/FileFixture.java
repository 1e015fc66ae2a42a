package org.m800.sdk.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.testing.ReferenceServerFixture;

/** {@link ReferenceServerFixture} with clients whose file feature is ready (chat and file from the class path). */
final class FileFixture extends ReferenceServerFixture {

    private final TemporaryFolder temp;

    FileFixture(TemporaryFolder temp) {
        super(temp);
        this.temp = temp;
    }

    /** A client on the data directory, its file requests going to {@code fileServer} (null: the server). */
    Client open(String clientId, Path data, URI fileServer) throws InterruptedException {
        ClientConfig.Builder b = ClientConfig.builder().clientId(clientId).imServers(List.of(server().imUri()))
                .signUpServers(List.of(server().httpUri())).dataDirectory(data)
                .reconnectMinDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(200));
        if (fileServer != null) {
            b.fileServers(List.of(fileServer));
        }
        return open(DEV_APP, b.build(), FileManager.MODULE);
    }

    /** A new user with a client of its own. */
    Client newUser(String username) throws Exception {
        return newUser(username, newDataDirectory(), null);
    }

    Client newUser(String username, Path data, URI fileServer) throws Exception {
        Client c = open(username, data, fileServer);
        get(c.require(AccountManager.class).signUp(username, username + "-password", null), 20);
        return c;
    }

    static FileManager files(Client c) {
        return c.require(FileManager.class);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return get(f, 120);
    }

    /** A file of random bytes, written without holding it in memory. */
    Path randomFile(String name, long size, long seed) throws IOException {
        Path p = temp.newFolder().toPath().resolve(name);
        Random r = new Random(seed);
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(p)) {
            long left = size;
            while (left > 0) {
                r.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        return p;
    }

    Path newFolder() throws IOException {
        return temp.newFolder().toPath();
    }

    static String sha256(Path p) throws Exception {
        try (InputStream in = Files.newInputStream(p)) {
            return sha256(in);
        }
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
