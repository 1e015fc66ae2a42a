package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A 200 MiB file goes up and comes down through a reference server whose JVM has a 64 MiB heap
 * (a forked process): the server streams bytes to and from disk, it never holds a file in memory.
 * The test generates the file on the fly, so it needs no 200 MiB of heap or disk of its own either.
 */
public class FileStreamingHeapTest {
    private static final long SIZE = 200L * 1024 * 1024;
    private static final String SERVER_HEAP = "-Xmx64m";

    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();
    private Process server;

    @After
    public void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Deterministic bytes, generated as they are read. */
    private static final class Generated extends InputStream {
        private long left;
        private long state = 0x9E3779B97F4A7C15L;

        Generated(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            left -= n;
            return n;
        }
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            d.update(buffer, 0, n);
        }
        return d.digest();
    }

    private URI startServer() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        server = new ProcessBuilder(java.toString(), SERVER_HEAP, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), "org.m800.server.Main", "--port", "0",
                "--data", temp.newFolder("data").toString(), "--max-file-size", Long.toString(SIZE),
                "--storage-per-user", Long.toString(SIZE))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<URI> http = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.strip().startsWith("HTTP")) {
                        return URI.create(line.substring(line.indexOf("http://")).strip());
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        URI uri = http.get(120, TimeUnit.SECONDS);
        assertNotNull("the forked server did not start", uri);
        return uri;
    }

    @Test
    public void a200MiBFileGoesUpAndComesDownThroughA64MiBServerHeap() throws Exception {
        URI base = startServer();
        HttpTestClient signUp = new HttpTestClient(base, "dev-key", "dev-secret");
        JsonNode alice = signUp.signUp("alice", "alice-password");
        FileTestClient files = new FileTestClient(base, "dev-key", "dev-secret", alice.path("accessToken").asText());
        byte[] expected = sha256(new Generated(SIZE));

        HttpResponse<byte[]> created = files.send(files.request("POST", "/v1/files/uploads", null)
                .header("Upload-Length", Long.toString(SIZE))
                .header("Upload-Metadata", "filename " + Base64.getEncoder().encodeToString(
                        "big.bin".getBytes(StandardCharsets.UTF_8)) + ",sha256 "
                        + Base64.getEncoder().encodeToString(expected)));
        assertEquals(FileTestClient.text(created), 201, created.statusCode());
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> done = files.send(files.request("PATCH", location, HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SIZE)), SIZE))
                .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", "0"));
        assertEquals(FileTestClient.text(done), 204, done.statusCode());
        assertEquals(HexFormat.of().formatHex(expected), done.headers().firstValue("M800-File-Sha256").orElseThrow());

        String fileId = done.headers().firstValue("M800-File-Id").orElseThrow();
        HttpResponse<InputStream> got = files.http().send(files.request("GET", "/v1/files/" + fileId, null).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, got.statusCode());
        try (InputStream body = got.body()) {
            assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sha256(body)));
        }
        // the server lived through it on its small heap
        assertEquals(200, signUp.unsigned("GET", "/health").status());
    }
}
