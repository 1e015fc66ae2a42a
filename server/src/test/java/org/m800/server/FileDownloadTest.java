package org.m800.server;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** Downloads: ETag, ranges, If-Range, HEAD and info (docs/protocol.md section 12). */
public class FileDownloadTest {
    @Rule
    public final FilesFixture fx = new FilesFixture();

    private final byte[] content = FileUploadTest.randomBytes(10_000, 42);
    private FileTestClient alice;
    private String path;
    private String etag;

    @Before
    public void upload() throws Exception {
        alice = fx.client(fx.newUser());
        String location = alice.createFor(content, "data.bin");
        HttpResponse<byte[]> done = alice.patch(location, 0, content, null);
        path = "/v1/files/" + done.headers().firstValue("M800-File-Id").orElseThrow();
        etag = "\"" + FileTestClient.hex(FileTestClient.sha256(content)) + "\"";
    }

    @Test
    public void theWholeFileCarriesItsEtagAndLength() throws Exception {
        HttpResponse<byte[]> r = alice.get(path);
        assertEquals(200, r.statusCode());
        assertEquals(etag, r.headers().firstValue("ETag").orElseThrow());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("10000", r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("attachment; filename*=UTF-8''data.bin", r.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertArrayEquals(content, r.body());
    }

    @Test
    public void aRangeIs206WithContentRange() throws Exception {
        HttpResponse<byte[]> r = alice.get(path, "Range", "bytes=100-199");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 100-199/10000", r.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(content, 100, 200), r.body());
    }

    @Test
    public void openAndSuffixRanges() throws Exception {
        assertArrayEquals(Arrays.copyOfRange(content, 9000, 10_000), alice.get(path, "Range", "bytes=9000-").body());
        HttpResponse<byte[]> suffix = alice.get(path, "Range", "bytes=-10");
        assertEquals("bytes 9990-9999/10000", suffix.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(content, 9990, 10_000), suffix.body());
    }

    @Test
    public void ifRangeWithTheEtagGivesTheRange() throws Exception {
        HttpResponse<byte[]> r = alice.get(path, "Range", "bytes=5000-", "If-Range", etag);
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(content, 5000, 10_000), r.body());
    }

    @Test
    public void ifRangeWithAnotherEtagGivesTheWholeFile() throws Exception {
        HttpResponse<byte[]> r = alice.get(path, "Range", "bytes=5000-", "If-Range", "\"" + "0".repeat(64) + "\"");
        assertEquals(200, r.statusCode());
        assertArrayEquals(content, r.body());
    }

    @Test
    public void anUnsatisfiableRangeIs416() throws Exception {
        HttpResponse<byte[]> r = alice.get(path, "Range", "bytes=10000-");
        assertEquals(416, r.statusCode());
        assertEquals("bytes */10000", r.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    public void headHasTheHeadersWithoutTheBody() throws Exception {
        HttpResponse<byte[]> r = alice.head(path);
        assertEquals(200, r.statusCode());
        assertEquals(etag, r.headers().firstValue("ETag").orElseThrow());
        assertEquals("10000", r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, r.body().length);
    }

    @Test
    public void infoDescribesTheFile() throws Exception {
        HttpResponse<byte[]> r = alice.get(path + "/info");
        assertEquals(200, r.statusCode());
        JsonNode info = HttpTestClient.JSON.readTree(r.body());
        assertEquals(path.substring("/v1/files/".length()), info.path("fileId").asText());
        assertEquals("data.bin", info.path("name").asText());
        assertEquals("application/octet-stream", info.path("mimeType").asText());
        assertEquals(10_000, info.path("size").asLong());
        assertEquals(etag.replace("\"", ""), info.path("sha256").asText());
        assertFalse(info.path("uploaderId").asText().isEmpty());
        assertFalse(info.has("width"));
    }
}
