package org.m800.server;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.Rule;
import org.junit.Test;

/** tus uploads to the reference server (docs/protocol.md section 12), one rule per test. */
public class FileUploadTest {
    @Rule
    public final FilesFixture fx = new FilesFixture();

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    public void roundTripOfASmallFile() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(100_000, 1);
        String location = alice.createFor(content, "notes.bin");
        assertTrue(location, location.startsWith("/v1/files/uploads/"));
        HttpResponse<byte[]> done = alice.patch(location, 0, content, FileTestClient.checksum("sha256", content));
        assertEquals(FileTestClient.text(done), 204, done.statusCode());
        assertEquals("100000", done.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("1.0.0", done.headers().firstValue("Tus-Resumable").orElseThrow());
        String fileId = done.headers().firstValue("M800-File-Id").orElseThrow();
        assertEquals(FileTestClient.hex(FileTestClient.sha256(content)),
                done.headers().firstValue("M800-File-Sha256").orElseThrow());
        HttpResponse<byte[]> got = alice.get("/v1/files/" + fileId);
        assertEquals(200, got.statusCode());
        assertArrayEquals(content, got.body());
    }

    @Test
    public void anEmptyFileIsCompleteWhenCreated() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        HttpResponse<byte[]> created = alice.create(0, FileTestClient.metadata("empty.txt", "text/plain",
                FileTestClient.sha256(new byte[0])));
        assertEquals(FileTestClient.text(created), 201, created.statusCode());
        String fileId = created.headers().firstValue("M800-File-Id").orElseThrow();
        HttpResponse<byte[]> got = alice.get("/v1/files/" + fileId);
        assertEquals(200, got.statusCode());
        assertEquals(0, got.body().length);
        HttpResponse<byte[]> info = alice.get("/v1/files/" + fileId + "/info");
        assertEquals(0, HttpTestClient.JSON.readTree(info.body()).path("size").asLong(-1));
    }

    @Test
    public void severalPatchesWithSha1ChecksumsMakeOneFile() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(300_000, 2);
        String location = alice.createFor(content, "parts.bin");
        long offset = 0;
        String fileId = null;
        for (int part = 0; part < 3; part++) {
            byte[] body = Arrays.copyOfRange(content, part * 100_000, (part + 1) * 100_000);
            HttpResponse<byte[]> r = alice.patch(location, offset, body, FileTestClient.checksum("sha1", body));
            assertEquals(FileTestClient.text(r), 204, r.statusCode());
            offset += body.length;
            assertEquals(Long.toString(offset), r.headers().firstValue("Upload-Offset").orElseThrow());
            fileId = r.headers().firstValue("M800-File-Id").orElse(null);
            assertEquals(part == 2, fileId != null);
        }
        assertArrayEquals(content, alice.get("/v1/files/" + fileId).body());
    }

    @Test
    public void headTellsTheOffsetAndLength() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(1000, 3);
        String location = alice.createFor(content, "a");
        alice.patch(location, 0, Arrays.copyOf(content, 400), null);
        HttpResponse<byte[]> head = alice.head(location);
        assertEquals(200, head.statusCode());
        assertEquals("400", head.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("1000", head.headers().firstValue("Upload-Length").orElseThrow());
        assertEquals("no-store", head.headers().firstValue("Cache-Control").orElseThrow());
    }

    @Test
    public void aPatchCutMidwayKeepsTheBytesReceivedAndTheUploadResumesFromThere() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(200_000, 4);
        String location = alice.createFor(content, "cut.bin");
        // a raw PATCH that announces the whole body, sends 70 000 bytes and drops the connection
        HttpRequest signed = alice.request("PATCH", location, null).build();
        try (Socket s = new Socket(fx.server().host(), fx.server().port())) {
            StringBuilder head = new StringBuilder("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            signed.headers().map().forEach((k, v) -> head.append(k).append(": ").append(v.get(0)).append("\r\n"));
            head.append("Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n")
                    .append("Content-Length: ").append(content.length).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content, 0, 70_000);
            out.flush();
        }
        long kept = awaitOffset(alice, location, 70_000);
        assertEquals(70_000, kept);
        HttpResponse<byte[]> rest = alice.patch(location, kept, Arrays.copyOfRange(content, (int) kept, content.length),
                null);
        assertEquals(FileTestClient.text(rest), 204, rest.statusCode());
        String fileId = rest.headers().firstValue("M800-File-Id").orElseThrow();
        assertArrayEquals(content, alice.get("/v1/files/" + fileId).body());
    }

    @Test
    public void aNewPatchEndsAnOlderOneStillInFlight() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(200_000, 14);
        String location = alice.createFor(content, "halfopen.bin");
        HttpRequest signed = alice.request("PATCH", location, null).build();
        try (Socket old = new Socket(fx.server().host(), fx.server().port())) {
            old.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            signed.headers().map().forEach((k, v) -> head.append(k).append(": ").append(v.get(0)).append("\r\n"));
            head.append("Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n")
                    .append("Expect: 100-continue\r\nContent-Length: ").append(content.length).append("\r\n\r\n");
            OutputStream out = old.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // 100 Continue: the server holds the upload and reads this body now
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(old.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            assertTrue(status, status.contains(" 100 "));
            out.write(content, 0, 70_000);
            out.flush();
            // the connection stays open and silent, as a half-open one would; the client resumes
            HttpResponse<byte[]> r = alice.patch(location, 0, content, null);
            assertFalse(FileTestClient.text(r), "UPLOAD_BUSY".equals(FileTestClient.reason(r)));
            if (r.statusCode() == 409) {
                long offset = Long.parseLong(r.headers().firstValue("Upload-Offset").orElseThrow());
                r = alice.patch(location, offset, Arrays.copyOfRange(content, (int) offset, content.length), null);
            }
            assertEquals(FileTestClient.text(r), 204, r.statusCode());
            String fileId = r.headers().firstValue("M800-File-Id").orElseThrow();
            assertArrayEquals(content, alice.get("/v1/files/" + fileId).body());
            int last;
            try {
                while ((last = old.getInputStream().read()) >= 0) {
                    // the server may answer before closing
                }
            } catch (java.io.IOException reset) {
                last = -1;
            }
            assertEquals("the older PATCH's connection is closed", -1, last);
        }
    }

    @Test
    public void anUploadGoesOnAfterAServerRestartAndItsHashIsChecked() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(300_000, 15);
        String location = alice.createFor(content, "restart.bin");
        assertEquals(204, alice.patch(location, 0, Arrays.copyOf(content, 100_000), null).statusCode());
        fx.restart();
        assertEquals("100000", alice.head(location).headers().firstValue("Upload-Offset").orElseThrow());
        HttpResponse<byte[]> done = alice.patch(location, 100_000, Arrays.copyOfRange(content, 100_000, 300_000), null);
        assertEquals(FileTestClient.text(done), 204, done.statusCode());
        assertEquals(FileTestClient.hex(FileTestClient.sha256(content)),
                done.headers().firstValue("M800-File-Sha256").orElseThrow());
        assertArrayEquals(content, alice.get("/v1/files/" + done.headers().firstValue("M800-File-Id").orElseThrow())
                .body());
    }

    /** The server records a cut body when it notices the cut: ask until it has (bounded). */
    private static long awaitOffset(FileTestClient c, String location, long expected) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long offset = -1;
        while (System.nanoTime() < deadline) {
            offset = Long.parseLong(c.head(location).headers().firstValue("Upload-Offset").orElseThrow());
            if (offset >= expected) {
                return offset;
            }
            Thread.sleep(50);
        }
        return offset;
    }

    @Test
    public void aCorruptedChunkIs460AndNothingOfItIsKept() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(2000, 5);
        String location = alice.createFor(content, "c.bin");
        byte[] first = Arrays.copyOf(content, 1000);
        assertEquals(204, alice.patch(location, 0, first, FileTestClient.checksum("sha256", first)).statusCode());
        byte[] second = Arrays.copyOfRange(content, 1000, 2000);
        byte[] corrupted = second.clone();
        corrupted[500] ^= 1;
        HttpResponse<byte[]> r = alice.patch(location, 1000, corrupted, FileTestClient.checksum("sha256", second));
        assertEquals(460, r.statusCode());
        assertEquals("CHECKSUM_MISMATCH", FileTestClient.reason(r));
        assertEquals("1000", alice.head(location).headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(1000, Files.size(fx.filesDirectory().resolve(location.substring(location.lastIndexOf('/') + 1))));
        // sent again intact, it completes
        HttpResponse<byte[]> again = alice.patch(location, 1000, second, FileTestClient.checksum("sha256", second));
        assertEquals(204, again.statusCode());
        assertTrue(again.headers().firstValue("M800-File-Id").isPresent());
    }

    @Test
    public void anUnsupportedChecksumAlgorithmIs400() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(10, 6);
        String location = alice.createFor(content, "x");
        HttpResponse<byte[]> r = alice.patch(location, 0, content, "md5 AAAA");
        assertEquals(400, r.statusCode());
        assertEquals("0", alice.head(location).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    public void aWrongWholeFileHashIsFileHashMismatchAndTheUploadIsDeleted() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(5000, 7);
        byte[] wrong = FileTestClient.sha256("something else".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> created = alice.create(content.length, FileTestClient.metadata("holiday.jpg", "image/jpeg",
                wrong));
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> r = alice.patch(location, 0, content, null);
        assertEquals(460, r.statusCode());
        assertEquals("FILE_HASH_MISMATCH", FileTestClient.reason(r));
        assertTrue(FileTestClient.text(r), FileTestClient.text(r).contains("holiday.jpg"));
        assertEquals(404, alice.head(location).statusCode());
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertFalse(Files.exists(fx.filesDirectory().resolve(id)));
        assertEquals(404, alice.get("/v1/files/" + id).statusCode());
    }

    @Test
    public void aChunkAtTheWrongOffsetIs409AndTellsTheOffset() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(1000, 8);
        String location = alice.createFor(content, "o");
        assertEquals(204, alice.patch(location, 0, Arrays.copyOf(content, 100), null).statusCode());
        HttpResponse<byte[]> r = alice.patch(location, 50, Arrays.copyOfRange(content, 50, 1000), null);
        assertEquals(409, r.statusCode());
        assertEquals("OFFSET_MISMATCH", FileTestClient.reason(r));
        assertEquals("100", r.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals("100", alice.head(location).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    public void aBodyBeyondTheLengthIs400AndNothingOfItIsKept() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        String location = alice.createFor(randomBytes(100, 9), "b");
        HttpResponse<byte[]> r = alice.patch(location, 0, randomBytes(101, 9), null);
        assertEquals(400, r.statusCode());
        assertEquals("BEYOND_LENGTH", FileTestClient.reason(r));
        assertEquals("0", alice.head(location).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    public void aPatchOfAnotherContentTypeIs415() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        String location = alice.createFor(randomBytes(10, 10), "t");
        HttpResponse<byte[]> r = alice.send(alice.request("PATCH", location, HttpRequest.BodyPublishers.ofByteArray(
                randomBytes(10, 10))).header("Content-Type", "application/octet-stream").header("Upload-Offset", "0"));
        assertEquals(415, r.statusCode());
    }

    @Test
    public void aRequestWithoutTusResumableIs412() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        String location = alice.createFor(randomBytes(10, 11), "v");
        HttpRequest.Builder b = alice.request("HEAD", location, null);
        HttpResponse<byte[]> r = alice.send(b.setHeader("Tus-Resumable", "0.2.2"));
        assertEquals(412, r.statusCode());
        assertEquals("1.0.0", r.headers().firstValue("Tus-Version").orElseThrow());
    }

    @Test
    public void terminationDeletesTheUploadAndItsBytes() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(1000, 12);
        String location = alice.createFor(content, "d");
        alice.patch(location, 0, Arrays.copyOf(content, 500), null);
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertTrue(Files.exists(fx.filesDirectory().resolve(id)));
        assertEquals(204, alice.delete(location).statusCode());
        assertFalse(Files.exists(fx.filesDirectory().resolve(id)));
        assertEquals(404, alice.head(location).statusCode());
        assertEquals(404, alice.patch(location, 500, Arrays.copyOfRange(content, 500, 1000), null).statusCode());
    }

    @Test
    public void optionsAnswersWithoutAuthentication() throws Exception {
        HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                fx.server().httpUri().resolve("/v1/files/uploads")).method("OPTIONS",
                        HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(204, r.statusCode());
        assertEquals("1.0.0", r.headers().firstValue("Tus-Version").orElseThrow());
        assertEquals("creation,checksum,termination,expiration", r.headers().firstValue("Tus-Extension").orElseThrow());
        assertEquals("sha1,sha256", r.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow());
        assertEquals(Long.toString(100L << 20), r.headers().firstValue("Tus-Max-Size").orElseThrow());
    }

    @Test
    public void creationTellsWhenTheUploadExpires() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        HttpResponse<byte[]> r = alice.create(10, null);
        assertEquals(201, r.statusCode());
        java.time.ZonedDateTime expires = java.time.ZonedDateTime.parse(
                r.headers().firstValue("Upload-Expires").orElseThrow(),
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        long hours = java.time.Duration.between(java.time.Instant.now(), expires.toInstant()).toHours();
        assertTrue("expires in " + hours + " h", hours >= 23 && hours <= 24);
    }

    @Test
    public void aFileRequestSignedWithTheBodysHashIsRefused() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = randomBytes(100, 13);
        String location = alice.createFor(content, "s");
        long ts = HttpTestClient.now();
        String nonce = HttpTestClient.nonce();
        HttpRequest.Builder b = alice.request("PATCH", location, HttpRequest.BodyPublishers.ofByteArray(content))
                .setHeader("X-M800-Timestamp", Long.toString(ts)).setHeader("X-M800-Nonce", nonce)
                .setHeader("X-M800-Signature", HttpTestClient.sign("dev-key", "dev-secret", "PATCH", location, ts, nonce,
                        HttpTestClient.sha256Hex(content)))
                .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", "0");
        HttpResponse<byte[]> r = alice.send(b);
        assertEquals(401, r.statusCode());
        assertEquals("BAD_SIGNATURE", FileTestClient.reason(r));
        assertEquals("0", alice.head(location).headers().firstValue("Upload-Offset").orElseThrow());
    }
}
