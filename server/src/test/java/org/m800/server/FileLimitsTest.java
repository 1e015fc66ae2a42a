package org.m800.server;

import static org.junit.Assert.assertEquals;

import java.net.http.HttpResponse;
import org.junit.Rule;
import org.junit.Test;

/** The largest file and the storage per user (docs/protocol.md section 12), on a server with small limits. */
public class FileLimitsTest {
    @Rule
    public final FilesFixture fx = new FilesFixture(b -> b.maxFileSize(1000).storagePerUser(2500));

    @Test
    public void aFileOverTheLargestIs413TooLarge() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        HttpResponse<byte[]> r = alice.create(1001, null);
        assertEquals(413, r.statusCode());
        assertEquals("INVALID_ARGUMENT", FileTestClient.code(r));
        assertEquals("TOO_LARGE", FileTestClient.reason(r));
        assertEquals(201, alice.create(1000, null).statusCode());
    }

    @Test
    public void uploadsBeyondTheUsersStorageAre413QuotaExceeded() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        assertEquals(201, alice.create(1000, null).statusCode());
        assertEquals(201, alice.create(1000, null).statusCode());
        HttpResponse<byte[]> r = alice.create(1000, null);
        assertEquals(413, r.statusCode());
        assertEquals("QUOTA_EXCEEDED", FileTestClient.reason(r));
        // another user has storage of its own
        assertEquals(201, fx.client(fx.newUser()).create(1000, null).statusCode());
    }

    @Test
    public void aTerminatedUploadGivesItsStorageBack() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        String first = alice.create(1000, null).headers().firstValue("Location").orElseThrow();
        assertEquals(201, alice.create(1000, null).statusCode());
        assertEquals(413, alice.create(1000, null).statusCode());
        assertEquals(204, alice.delete(first).statusCode());
        assertEquals(201, alice.create(1000, null).statusCode());
    }
}
