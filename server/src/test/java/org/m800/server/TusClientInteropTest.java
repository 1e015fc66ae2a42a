package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import java.io.File;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A tus client no one here wrote ({@code io.tus.java.client:tus-java-client}) uploads to the
 * reference server; the file is downloaded with plain HTTP and has the same SHA-256.
 */
public class TusClientInteropTest {
    @Rule
    public final FilesFixture fx = new FilesFixture();
    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    /** The tus client with the application signature and the bearer added to every request it makes. */
    private static final class SigningTusClient extends TusClient {
        private final String token;

        SigningTusClient(String token) {
            this.token = token;
        }

        @Override
        public void prepareConnection(HttpURLConnection connection) {
            super.prepareConnection(connection);
            // the uploader prepares its PATCH before choosing the method: HttpURLConnection cannot
            // send PATCH, so it goes out as POST with X-HTTP-Method-Override, and POST is what is signed
            String method = connection.getRequestMethod();
            String wire = "GET".equals(method) ? "POST" : method;
            String path = connection.getURL().getPath();
            long ts = HttpTestClient.now();
            String nonce = HttpTestClient.nonce();
            connection.setRequestProperty("X-M800-Application-Key", "dev-key");
            connection.setRequestProperty("X-M800-Timestamp", Long.toString(ts));
            connection.setRequestProperty("X-M800-Nonce", nonce);
            connection.setRequestProperty("X-M800-Signature", HttpTestClient.sign("dev-key", "dev-secret", wire, path, ts,
                    nonce, FileTestClient.EMPTY_HASH));
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
    }

    private File file(int size) throws Exception {
        Path p = temp.newFile("upload.bin").toPath();
        Files.write(p, FileUploadTest.randomBytes(size, 77));
        return p.toFile();
    }

    private SigningTusClient client(JsonNode user) throws Exception {
        SigningTusClient client = new SigningTusClient(user.path("accessToken").asText());
        client.setUploadCreationURL(new URL(fx.server().httpUri() + "/v1/files/uploads"));
        return client;
    }

    private static String fileIdOf(TusUploader uploader) {
        String url = uploader.getUploadURL().getPath();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    public void aTusClientUploadsAndTheDownloadHasTheSameSha256() throws Exception {
        JsonNode alice = fx.newUser();
        File file = file(3 * 1024 * 1024 + 123);
        TusUpload upload = new TusUpload(file);
        upload.setMetadata(Map.of("filename", "tus.bin", "filetype", "application/octet-stream"));
        TusUploader uploader = client(alice).createUpload(upload);
        uploader.setChunkSize(64 * 1024);
        uploader.setRequestPayloadSize(1024 * 1024); // several PATCHes
        while (uploader.uploadChunk() > -1) {
            // keep going
        }
        uploader.finish();
        assertEquals(file.length(), uploader.getOffset());

        HttpResponse<byte[]> got = fx.client(alice).get("/v1/files/" + fileIdOf(uploader));
        assertEquals(200, got.statusCode());
        byte[] expected = Files.readAllBytes(file.toPath());
        assertEquals(FileTestClient.hex(FileTestClient.sha256(expected)), FileTestClient.hex(FileTestClient.sha256(
                got.body())));
        JsonNode info = HttpTestClient.JSON.readTree(fx.client(alice).get("/v1/files/" + fileIdOf(uploader) + "/info")
                .body());
        assertEquals("tus.bin", info.path("name").asText());
    }

    @Test
    public void aTusClientResumesFromTheServersOffset() throws Exception {
        JsonNode alice = fx.newUser();
        File file = file(2 * 1024 * 1024);
        TusURLMemoryStore store = new TusURLMemoryStore();
        SigningTusClient first = client(alice);
        first.enableResuming(store);
        TusUploader uploader = first.createUpload(new TusUpload(file));
        uploader.setRequestPayloadSize(512 * 1024);
        uploader.uploadChunk();
        uploader.finish(); // ends the first PATCH, as a closed application would
        long sent = uploader.getOffset();
        assertTrue(sent > 0 && sent < file.length());

        SigningTusClient second = client(alice);
        second.enableResuming(store);
        TusUploader resumed = second.resumeUpload(new TusUpload(file)); // asks HEAD for the offset
        assertEquals(sent, resumed.getOffset());
        while (resumed.uploadChunk() > -1) {
            // keep going
        }
        resumed.finish();
        byte[] got = fx.client(alice).get("/v1/files/" + fileIdOf(resumed)).body();
        assertEquals(FileTestClient.hex(FileTestClient.sha256(Files.readAllBytes(file.toPath()))),
                FileTestClient.hex(FileTestClient.sha256(got)));
    }
}
