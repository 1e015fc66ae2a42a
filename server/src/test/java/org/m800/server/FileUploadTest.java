package org.m800.server;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
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
        String fileId = done.headers().firstValue("M800-File-Id").orElseThrow();
        assertEquals(FileTestClient.hex(FileTestClient.sha256(content)),
                done.headers().firstValue("M800-File-Sha256").orElseThrow());
        HttpResponse<byte[]> got = alice.get("/v1/files/" + fileId);
        assertEquals(200, got.statusCode());
        assertArrayEquals(content, got.body());
    }
}
