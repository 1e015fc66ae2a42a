package org.m800.server;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;

/**
 * Who may read a file: the uploader and the members of a conversation with a message that refers to
 * it; everyone else gets the 404 of a file that does not exist (docs/protocol.md section 12).
 */
public class FileAccessTest {
    @Rule
    public final FilesFixture fx = new FilesFixture(b -> b.applicationsFile(apps()));

    private static Path apps() {
        try {
            Path f = Files.createTempFile("m800-apps", ".json");
            f.toFile().deleteOnExit();
            Files.writeString(f, "{\"applications\":[{\"carrier\":\"m800.example\",\"applicationIdentifier\":"
                    + "\"com.example.chat\",\"applicationKey\":\"example-key\",\"applicationSecret\":\"example-secret\","
                    + "\"developerKey\":\"example-dev\"}]}");
            return f;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode obj() {
        return HttpTestClient.JSON.createObjectNode();
    }

    /** Sends a media message referring to the file in the direct conversation of the two users. */
    private void shareInDirect(JsonNode from, JsonNode to, String fileId, String messageId) throws Exception {
        try (WsTestClient ws = WsTestClient.loggedIn(fx.server(), from.path("accessToken").asText(), null)) {
            JsonNode direct = ws.request("chat.direct", "d-" + messageId, obj().put("userId", to.path("userId").asText()));
            assertFalse(direct.toString(), direct.has("error"));
            ObjectNode content = obj().put("kind", "media").put("fileId", fileId).put("mimeType", "image/jpeg")
                    .put("size", 3);
            JsonNode sent = ws.request("chat.send", "s-" + messageId, obj()
                    .put("conversationId", direct.path("data").path("id").asText()).put("messageId", messageId)
                    .set("content", content));
            assertFalse(sent.toString(), sent.has("error"));
        }
    }

    @Test
    public void theUploaderReadsItsFile() throws Exception {
        JsonNode alice = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "a");
        assertArrayEquals(new byte[] {1, 2, 3}, fx.client(alice).get("/v1/files/" + id).body());
    }

    @Test
    public void aMemberOfAConversationWithAMessageReferringToTheFileReadsIt() throws Exception {
        JsonNode alice = fx.newUser();
        JsonNode bob = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "photo.jpg");
        assertEquals(404, fx.client(bob).get("/v1/files/" + id).statusCode());
        shareInDirect(alice, bob, id, "m1");
        HttpResponse<byte[]> got = fx.client(bob).get("/v1/files/" + id);
        assertEquals(200, got.statusCode());
        assertArrayEquals(new byte[] {1, 2, 3}, got.body());
        JsonNode info = HttpTestClient.JSON.readTree(fx.client(bob).get("/v1/files/" + id + "/info").body());
        assertEquals("photo.jpg", info.path("name").asText());
        assertEquals(alice.path("userId").asText(), info.path("uploaderId").asText());
    }

    @Test
    public void aNonMemberGetsTheSame404AsForAFileThatDoesNotExist() throws Exception {
        JsonNode alice = fx.newUser();
        JsonNode bob = fx.newUser();
        JsonNode carol = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "a");
        shareInDirect(alice, bob, id, "m2");
        HttpResponse<byte[]> refused = fx.client(carol).get("/v1/files/" + id);
        HttpResponse<byte[]> unknown = fx.client(carol).get("/v1/files/f-AAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(404, refused.statusCode());
        assertEquals(404, unknown.statusCode());
        assertEquals(FileTestClient.text(unknown), FileTestClient.text(refused));
        assertEquals(404, fx.client(carol).get("/v1/files/" + id + "/info").statusCode());
        assertEquals(404, fx.client(carol).head("/v1/files/" + id).statusCode());
    }

    @Test
    public void aUserOfAnotherCarrierGets404() throws Exception {
        JsonNode alice = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "a");
        JsonNode erin = new HttpTestClient(fx.server().httpUri(), "example-key", "example-secret")
                .signUp("erin", "erin-password");
        FileTestClient other = new FileTestClient(fx.server().httpUri(), "example-key", "example-secret",
                erin.path("accessToken").asText());
        HttpResponse<byte[]> r = other.get("/v1/files/" + id);
        assertEquals(404, r.statusCode());
        assertEquals("NOT_FOUND", FileTestClient.code(r));
    }

    @Test
    public void aTokenUsedWithAnotherCarriersApplicationIs401() throws Exception {
        JsonNode alice = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "a");
        FileTestClient wrongApp = new FileTestClient(fx.server().httpUri(), "example-key", "example-secret",
                alice.path("accessToken").asText());
        assertEquals(401, wrongApp.get("/v1/files/" + id).statusCode());
    }

    @Test
    public void aWrongTokenIs401() throws Exception {
        JsonNode alice = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "a");
        HttpResponse<byte[]> r = FileTestClient.dev(fx.server(), "A".repeat(43)).get("/v1/files/" + id);
        assertEquals(401, r.statusCode());
        assertEquals("TOKEN_INVALID", FileTestClient.reason(r));
        assertEquals(401, FileTestClient.dev(fx.server(), null).get("/v1/files/" + id).statusCode());
        assertEquals(401, FileTestClient.dev(fx.server(), null).create(10, null).statusCode());
    }

    @Test
    public void aHeadWithABadSignatureIs401WithoutABody() throws Exception {
        JsonNode alice = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "a");
        FileTestClient wrongSecret = new FileTestClient(fx.server().httpUri(), "dev-key", "not-the-secret",
                alice.path("accessToken").asText());
        HttpResponse<byte[]> r = wrongSecret.head("/v1/files/" + id);
        assertEquals(401, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals(200, fx.client(alice).head("/v1/files/" + id).statusCode());
    }

    @Test
    public void anotherUsersUploadIs404() throws Exception {
        JsonNode alice = fx.newUser();
        JsonNode bob = fx.newUser();
        String location = fx.client(alice).createFor(new byte[] {1, 2, 3}, "a");
        assertEquals(404, fx.client(bob).head(location).statusCode());
        assertEquals(404, fx.client(bob).patch(location, 0, new byte[] {1, 2, 3}, null).statusCode());
        assertEquals(404, fx.client(bob).delete(location).statusCode());
        assertEquals("0", fx.client(alice).head(location).headers().firstValue("Upload-Offset").orElseThrow());
    }

    @Test
    public void sharingAFileIdOneCannotReadGrantsNothing() throws Exception {
        JsonNode alice = fx.newUser();
        JsonNode mallory = fx.newUser();
        JsonNode accomplice = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "secret");
        // mallory learnt the id and refers to it in a conversation of her own
        shareInDirect(mallory, accomplice, id, "m3");
        assertEquals(404, fx.client(mallory).get("/v1/files/" + id).statusCode());
        assertEquals(404, fx.client(accomplice).get("/v1/files/" + id).statusCode());
    }

    @Test
    public void aMessageDeletedForEveryoneNoLongerGrantsAccess() throws Exception {
        JsonNode alice = fx.newUser();
        JsonNode bob = fx.newUser();
        String id = fx.client(alice).upload(new byte[] {1, 2, 3}, "a");
        shareInDirect(alice, bob, id, "m4");
        assertEquals(200, fx.client(bob).get("/v1/files/" + id).statusCode());
        try (WsTestClient ws = WsTestClient.loggedIn(fx.server(), alice.path("accessToken").asText(), null)) {
            JsonNode direct = ws.request("chat.direct", "d", obj().put("userId", bob.path("userId").asText()));
            JsonNode deleted = ws.request("chat.delete", "x", obj()
                    .put("conversationId", direct.path("data").path("id").asText()).put("messageId", "m4"));
            assertFalse(deleted.toString(), deleted.has("error"));
        }
        assertEquals(404, fx.client(bob).get("/v1/files/" + id).statusCode());
        assertEquals(200, fx.client(alice).get("/v1/files/" + id).statusCode());
    }
}
