package org.m800.server;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.Rule;
import org.junit.Test;

/** Application authentication (docs/protocol.md section 4): each refusal has its code, others keep being served. */
public class AppAuthTest {
    @Rule
    public final TestServer server = new TestServer();

    private static final String LOGIN = "/v1/accounts/login";

    private ObjectNode credentials() {
        return HttpTestClient.JSON.createObjectNode().put("username", "alice").put("password", "long enough");
    }

    private void assertRefused(HttpTestClient.Answer a, String reason) {
        assertEquals(a.toString(), 401, a.status());
        assertEquals("UNAUTHORIZED", a.errorCode());
        assertEquals(reason, a.errorReason());
    }

    private void assertOthersStillServed() throws Exception {
        HttpTestClient.Answer ok = HttpTestClient.dev(server.server()).logIn("alice", "long enough");
        assertEquals(200, ok.status());
    }

    @Test
    public void unknownApplicationIsRefused() throws Exception {
        HttpTestClient.dev(server.server()).signUp("alice", "long enough");
        HttpTestClient stranger = new HttpTestClient(server.server().httpUri(), "no-such-key", "whatever");
        assertRefused(stranger.post(LOGIN, credentials()), "UNKNOWN_APPLICATION");
        assertOthersStillServed();
    }

    @Test
    public void badSignatureIsRefused() throws Exception {
        HttpTestClient http = HttpTestClient.dev(server.server());
        http.signUp("alice", "long enough");
        assertRefused(http.send("POST", LOGIN, credentials(), null, null, HttpTestClient.now(), HttpTestClient.nonce(),
                "wrong-secret"), "BAD_SIGNATURE");
        assertOthersStillServed();
    }

    @Test
    public void replayedNonceIsRefused() throws Exception {
        HttpTestClient http = HttpTestClient.dev(server.server());
        http.signUp("alice", "long enough");
        long ts = HttpTestClient.now();
        String nonce = HttpTestClient.nonce();
        assertEquals(200, http.send("POST", LOGIN, credentials(), null, null, ts, nonce, "dev-secret").status());
        assertRefused(http.send("POST", LOGIN, credentials(), null, null, ts, nonce, "dev-secret"), "REPLAYED_NONCE");
        assertOthersStillServed();
    }

    @Test
    public void staleTimestampIsRefused() throws Exception {
        HttpTestClient http = HttpTestClient.dev(server.server());
        http.signUp("alice", "long enough");
        assertRefused(http.send("POST", LOGIN, credentials(), null, null, HttpTestClient.now() - 301,
                HttpTestClient.nonce(), "dev-secret"), "STALE_TIMESTAMP");
        assertRefused(http.send("POST", LOGIN, credentials(), null, null, HttpTestClient.now() + 301,
                HttpTestClient.nonce(), "dev-secret"), "STALE_TIMESTAMP");
        assertOthersStillServed();
    }

    @Test
    public void missingHeadersAreRefused() throws Exception {
        HttpTestClient http = HttpTestClient.dev(server.server());
        http.signUp("alice", "long enough");
        assertRefused(http.unsigned("POST", LOGIN), "MISSING_APPLICATION_AUTH");
        assertRefused(http.send("POST", LOGIN, credentials(), null, null, HttpTestClient.now(), "short",
                "dev-secret"), "MISSING_APPLICATION_AUTH");
        assertOthersStillServed();
    }

    @Test
    public void signatureCoversTheBody() throws Exception {
        HttpTestClient http = HttpTestClient.dev(server.server());
        http.signUp("alice", "long enough");
        // signed for one body, sent with another: what a tampering proxy would do
        long ts = HttpTestClient.now();
        String nonce = HttpTestClient.nonce();
        String signature = HttpTestClient.sign("dev-key", "dev-secret", "POST", LOGIN, ts, nonce,
                HttpTestClient.sha256Hex("{}".getBytes(StandardCharsets.UTF_8)));
        java.net.http.HttpRequest r = java.net.http.HttpRequest.newBuilder(server.server().httpUri().resolve(LOGIN))
                .header("X-M800-Application-Key", "dev-key").header("X-M800-Timestamp", Long.toString(ts))
                .header("X-M800-Nonce", nonce).header("X-M800-Signature", signature)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(credentials().toString())).build();
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(r,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertEquals("BAD_SIGNATURE", HttpTestClient.JSON.readTree(response.body()).path("error").path("reason").asText());
    }

    @Test
    public void helloWithBadSignatureOrTokenIsRefusedAndClosed() throws Exception {
        JsonNode s = HttpTestClient.dev(server.server()).signUp("alice", "long enough");
        String token = s.path("accessToken").asText();
        try (WsTestClient ws = WsTestClient.connect(server.server().imUri())) {
            JsonNode r = ws.hello(token, null, "/v1/im", "dev-key", "wrong-secret");
            assertEquals("BAD_SIGNATURE", r.path("error").path("reason").asText());
            WsTestClient.Closed closed = ws.awaitClose();
            assertEquals(1008, closed.code());
            assertEquals("unauthorized", closed.reason());
        }
        try (WsTestClient ws = WsTestClient.connect(server.server().imUri())) {
            JsonNode r = ws.hello("A".repeat(43), null, "/v1/im", "dev-key", "dev-secret");
            assertEquals("TOKEN_INVALID", r.path("error").path("reason").asText());
            assertEquals(1008, ws.awaitClose().code());
        }
        try (WsTestClient ws = WsTestClient.connect(server.server().imUri())) {
            long ts = HttpTestClient.now() - 3600;
            String nonce = HttpTestClient.nonce();
            JsonNode r = ws.hello(token, null, "dev-key", ts, nonce, HttpTestClient.sign("dev-key", "dev-secret",
                    "HELLO", "/v1/im", ts, nonce, HttpTestClient.sha256Hex(token.getBytes(StandardCharsets.UTF_8))));
            assertEquals("STALE_TIMESTAMP", r.path("error").path("reason").asText());
        }
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            assertEquals("alice", ws.request("profile.get", "p", null).path("data").path("username").asText());
        }
        // the call endpoint authenticates the same way, with its own path in the signature
        try (WsTestClient ws = WsTestClient.connect(server.server().callUri())) {
            JsonNode r = ws.hello(token, null, "/v1/call", "dev-key", "dev-secret");
            assertEquals(s.path("userId").asText(), r.path("data").path("userId").asText());
            assertEquals("UNKNOWN_TYPE", ws.request("profile.get", "p", null).path("error").path("reason").asText());
        }
    }
}
