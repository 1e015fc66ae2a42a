package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.Rule;
import org.junit.Test;

/** Unfinished uploads expire and the server's sweeper deletes their bytes (docs/protocol.md section 12). */
public class FileExpiryTest {
    @Rule
    public final FilesFixture fx = new FilesFixture(b -> b.uploadExpiry(Duration.ofMillis(500)));

    @Test
    public void theSweeperDeletesTheBytesOfAnExpiredUpload() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = FileUploadTest.randomBytes(1000, 1);
        String location = alice.createFor(content, "late.bin");
        alice.patch(location, 0, Arrays.copyOf(content, 300), null);
        Path bytes = fx.filesDirectory().resolve(location.substring(location.lastIndexOf('/') + 1));
        // nothing touches the upload now: only the sweeper can delete it
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(bytes) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse("the bytes of the expired upload are still there", Files.exists(bytes));
        assertEquals(404, alice.head(location).statusCode());
        assertEquals(404, alice.patch(location, 300, Arrays.copyOfRange(content, 300, 1000), null).statusCode());
    }

    @Test
    public void aFinishedFileDoesNotExpire() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        byte[] content = FileUploadTest.randomBytes(100, 2);
        String id = alice.upload(content, "kept.bin");
        // an unfinished upload created after it has expired and been swept: the sweeper has run
        String probe = alice.create(10, null).headers().firstValue("Location").orElseThrow();
        Path probeBytes = fx.filesDirectory().resolve(probe.substring(probe.lastIndexOf('/') + 1));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(probeBytes) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(Files.exists(probeBytes));
        assertTrue(Files.exists(fx.filesDirectory().resolve(id)));
        assertEquals(200, alice.get("/v1/files/" + id).statusCode());
    }
}
