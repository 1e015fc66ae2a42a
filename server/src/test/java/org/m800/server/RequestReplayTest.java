package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.After;
import org.junit.Test;

/**
 * A replayed request id (issue 17 item 3): the stored answer goes only to the same caller's same
 * request; another caller, endpoint or body gets CONFLICT/REQUEST_ID_REUSED; stored answers keep no
 * token in clear.
 */
public class RequestReplayTest {
    private final String db = "jdbc:h2:mem:replay-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private ReferenceServer server;
    private Path data;

    @After
    public void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        TestServer.deleteRecursively(data);
        try (Connection c = DriverManager.getConnection(db)) {
            c.createStatement().execute("SHUTDOWN");
        }
    }

    private static ObjectNode credentials(String username, String password) {
        return HttpTestClient.JSON.createObjectNode().put("username", username).put("password", password);
    }

    @Test
    public void malloryReplayingAlicesLogInIdGetsAConflictNotHerTokens() throws Exception {
        data = Files.createTempDirectory("m800-replay");
        server = ReferenceServer.builder().port(0).jdbcUrl(db).dataDirectory(data).build().start();
        HttpTestClient http = HttpTestClient.dev(server);
        http.signUp("alice", "alice's password");
        http.signUp("mallory", "mallory's password");
        HttpTestClient.Answer alice = http.post("/v1/accounts/login", credentials("alice", "alice's password"), null,
                "login-x");
        assertEquals(200, alice.status());
        String accessToken = alice.body().path("accessToken").asText();
        String refreshToken = alice.body().path("refreshToken").asText();

        // another username, a wrong password, alice's username with a wrong password: none gets her answer
        for (ObjectNode body : new ObjectNode[] {credentials("mallory", "mallory's password"),
                credentials("mallory", "wrong password"), credentials("alice", "wrong password")}) {
            HttpTestClient.Answer replay = http.post("/v1/accounts/login", body, null, "login-x");
            assertEquals(body.toString(), 409, replay.status());
            assertEquals("REQUEST_ID_REUSED", replay.errorReason());
            assertFalse(replay.body().toString().contains(accessToken));
        }
        // another endpoint, or the same one with a bearer, is another request too
        assertEquals("REQUEST_ID_REUSED", http.post("/v1/accounts/signup", credentials("alice", "alice's password"),
                null, "login-x").errorReason());
        assertEquals("REQUEST_ID_REUSED", http.post("/v1/accounts/login", credentials("alice", "alice's password"),
                accessToken, "login-x").errorReason());

        // alice repeating her own request gets her answer again, and it works
        HttpTestClient.Answer again = http.post("/v1/accounts/login", credentials("alice", "alice's password"), null,
                "login-x");
        assertEquals(alice, again);
        assertEquals(200, http.get("/v1/accounts/profile", accessToken).status());

        // the database holds no token of the answer in clear
        try (Connection c = DriverManager.getConnection(db);
                ResultSet r = c.createStatement().executeQuery("SELECT answer_json FROM request_log")) {
            int rows = 0;
            while (r.next()) {
                rows++;
                String stored = r.getString(1);
                assertFalse(stored.contains(accessToken));
                assertFalse(stored.contains(refreshToken));
                assertFalse(stored.contains("accessToken"));
            }
            assertTrue(rows > 0);
        }
        // its key is beside the database, the owner's only
        Path key = data.resolve("request-log.key");
        assertEquals(32, Files.size(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    public void aWebSocketRequestIdReusedWithOtherDataIsAConflict() throws Exception {
        server = ReferenceServer.builder().port(0).jdbcUrl(db).build().start();
        JsonNode s = HttpTestClient.dev(server).signUp("frank", "long enough");
        try (WsTestClient ws = WsTestClient.loggedIn(server, s.path("accessToken").asText(), null)) {
            ObjectNode update = HttpTestClient.JSON.createObjectNode().put("displayName", "Frank");
            JsonNode first = ws.request("profile.update", "u1", update);
            assertEquals("Frank", first.path("data").path("displayName").asText());
            assertEquals(first, ws.request("profile.update", "u1", update));
            JsonNode other = ws.request("profile.update", "u1",
                    HttpTestClient.JSON.createObjectNode().put("displayName", "Mallory"));
            assertEquals("REQUEST_ID_REUSED", other.path("error").path("reason").asText());
            assertEquals("Frank", ws.request("profile.get", "g1", null).path("data").path("displayName").asText());
        }
    }
}
