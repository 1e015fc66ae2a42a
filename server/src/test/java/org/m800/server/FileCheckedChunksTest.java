package org.m800.server;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.Rule;
import org.junit.Test;

/** PATCHes of checked chunks (docs/protocol.md section 12.4): many CRC-checked chunks and the file's hash in one body. */
public class FileCheckedChunksTest {
    private static final String TYPE = "application/vnd.m800.checked-chunks";

    @Rule
    public final FilesFixture fx = new FilesFixture();

    /** A chunk frame: length, data, CRC-32C (of {@code crcOf}, which is the data unless a test corrupts it). */
    static byte[] chunk(byte[] data, byte[] crcOf) {
        CRC32C crc = new CRC32C();
        crc.update(crcOf);
        return ByteBuffer.allocate(8 + data.length).putInt(data.length).put(data).putInt((int) crc.getValue()).array();
    }

    static byte[] end(byte[] sha256) {
        return ByteBuffer.allocate(36).putInt(0).put(sha256).array();
    }

    static byte[] body(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static HttpResponse<byte[]> patch(FileTestClient c, String location, long offset, byte[] body)
            throws Exception {
        return c.send(c.request("PATCH", location, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", TYPE).header("Upload-Offset", Long.toString(offset)));
    }

    private static String create(FileTestClient c, int length) throws Exception {
        // no whole-file hash at creation: the end frame brings it
        HttpResponse<byte[]> r = c.create(length, FileTestClient.metadata("chunks.bin", "application/octet-stream",
                null));
        assertEquals(FileTestClient.text(r), 201, r.statusCode());
        return r.headers().firstValue("Location").orElseThrow();
    }

    private static long offset(FileTestClient c, String location) throws Exception {
        return Long.parseLong(c.head(location).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    public void manyChunksAndTheEndFrameMakeTheFileInOneRequest() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = FileUploadTest.randomBytes(250_000, 21);
        String location = create(alice, content.length);
        byte[] a = Arrays.copyOfRange(content, 0, 100_000);
        byte[] b = Arrays.copyOfRange(content, 100_000, 200_000);
        byte[] c = Arrays.copyOfRange(content, 200_000, 250_000);
        HttpResponse<byte[]> r = patch(alice, location, 0, body(chunk(a, a), chunk(b, b), chunk(c, c),
                end(FileTestClient.sha256(content))));
        assertEquals(FileTestClient.text(r), 204, r.statusCode());
        assertEquals("250000", r.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(FileTestClient.hex(FileTestClient.sha256(content)),
                r.headers().firstValue("M800-File-Sha256").orElseThrow());
        String fileId = r.headers().firstValue("M800-File-Id").orElseThrow();
        assertArrayEquals(content, alice.get("/v1/files/" + fileId).body());
    }

    @Test
    public void aCorruptedChunkIs460TheChunksBeforeItStayAndItIsSentAgain() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = FileUploadTest.randomBytes(3000, 22);
        String location = create(alice, content.length);
        byte[] a = Arrays.copyOfRange(content, 0, 1000);
        byte[] b = Arrays.copyOfRange(content, 1000, 2000);
        byte[] c = Arrays.copyOfRange(content, 2000, 3000);
        byte[] damaged = b.clone();
        damaged[10] ^= 4;
        HttpResponse<byte[]> r = patch(alice, location, 0, body(chunk(a, a), chunk(damaged, b), chunk(c, c),
                end(FileTestClient.sha256(content))));
        assertEquals(460, r.statusCode());
        assertEquals("CHECKSUM_MISMATCH", FileTestClient.reason(r));
        assertEquals("1000", r.headers().firstValue("Upload-Offset").orElseThrow());
        assertEquals(1000, offset(alice, location));
        assertEquals(1000, Files.size(fx.filesDirectory().resolve(location.substring(location.lastIndexOf('/') + 1))));
        HttpResponse<byte[]> again = patch(alice, location, 1000, body(chunk(b, b), chunk(c, c),
                end(FileTestClient.sha256(content))));
        assertEquals(FileTestClient.text(again), 204, again.statusCode());
        assertArrayEquals(content, alice.get("/v1/files/" + again.headers().firstValue("M800-File-Id").orElseThrow())
                .body());
    }

    @Test
    public void aWrongWholeFileHashInTheEndFrameDeletesTheUpload() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = FileUploadTest.randomBytes(2000, 23);
        String location = create(alice, content.length);
        HttpResponse<byte[]> r = patch(alice, location, 0, body(chunk(content, content),
                end(FileTestClient.sha256("other".getBytes(StandardCharsets.UTF_8)))));
        assertEquals(460, r.statusCode());
        assertEquals("FILE_HASH_MISMATCH", FileTestClient.reason(r));
        assertTrue(FileTestClient.text(r), FileTestClient.text(r).contains("chunks.bin"));
        assertEquals(404, alice.head(location).statusCode());
        assertFalse(Files.exists(fx.filesDirectory().resolve(location.substring(location.lastIndexOf('/') + 1))));
    }

    @Test
    public void aBodyCutInsideAChunkKeepsTheChunksBeforeIt() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = FileUploadTest.randomBytes(200_000, 24);
        String location = create(alice, content.length);
        byte[] a = Arrays.copyOfRange(content, 0, 100_000);
        byte[] b = Arrays.copyOfRange(content, 100_000, 200_000);
        byte[] full = body(chunk(a, a), chunk(b, b), end(FileTestClient.sha256(content)));
        HttpRequest signed = alice.request("PATCH", location, null).build();
        try (Socket s = new Socket(fx.server().host(), fx.server().port())) {
            StringBuilder head = new StringBuilder("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            signed.headers().map().forEach((k, v) -> head.append(k).append(": ").append(v.get(0)).append("\r\n"));
            head.append("Content-Type: ").append(TYPE).append("\r\nUpload-Offset: 0\r\n")
                    .append("Content-Length: ").append(full.length).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(full, 0, 8 + 100_000 + 8 + 50_000); // the first chunk and half the second
            out.flush();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (offset(alice, location) < 100_000 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(100_000, offset(alice, location));
        HttpResponse<byte[]> rest = patch(alice, location, 100_000, body(chunk(b, b),
                end(FileTestClient.sha256(content))));
        assertEquals(FileTestClient.text(rest), 204, rest.statusCode());
        assertArrayEquals(content, alice.get("/v1/files/" + rest.headers().firstValue("M800-File-Id").orElseThrow())
                .body());
    }

    @Test
    public void aFrameLongerThanTheLargestChunkOrBeyondTheLengthIs400() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = FileUploadTest.randomBytes(2000, 25);
        String location = create(alice, content.length);
        byte[] a = Arrays.copyOfRange(content, 0, 1000);
        byte[] huge = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array();
        HttpResponse<byte[]> r = patch(alice, location, 0, body(chunk(a, a), huge));
        assertEquals(400, r.statusCode());
        assertEquals("BAD_FRAME", FileTestClient.reason(r));
        assertEquals(1000, offset(alice, location));
        HttpResponse<byte[]> beyond = patch(alice, location, 1000, body(chunk(content, content)));
        assertEquals(400, beyond.statusCode());
        assertEquals("BEYOND_LENGTH", FileTestClient.reason(beyond));
        assertEquals(1000, offset(alice, location));
        HttpResponse<byte[]> early = patch(alice, location, 1000, body(end(FileTestClient.sha256(content))));
        assertEquals(400, early.statusCode());
        assertEquals(1000, offset(alice, location));
    }
}
