package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** The WebSocket envelope: bad input, versions, heartbeats, de-duplication, many requests. */
public class WebSocketProtocolTest {
    @Rule
    public final TestServer server = new TestServer();

    private String token;

    @Before
    public void signUp() throws Exception {
        token = HttpTestClient.dev(server.server()).signUp("alice", "long enough").path("accessToken").asText();
    }

    private void assertServerStillServes() throws Exception {
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            assertEquals("alice", ws.request("profile.get", "still", null).path("data").path("username").asText());
        }
    }

    @Test
    public void pingIsAnsweredBeforeAndAfterHello() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(server.server().imUri())) {
            ws.send(WsTestClient.frame("ping", "p-1", null));
            JsonNode pong = ws.next();
            assertEquals("pong", pong.path("type").asText());
            assertEquals("p-1", pong.path("id").asText());
            ws.hello(token, null, "/v1/im", "dev-key", "dev-secret");
            ws.send(WsTestClient.frame("ping", "p-2", null));
            assertEquals("p-2", ws.next().path("id").asText());
        }
    }

    @Test
    public void malformedJsonGetsAnErrorAndTheConnectionStays() throws Exception {
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            ws.send("{not json");
            JsonNode e = ws.next();
            assertEquals("error", e.path("type").asText());
            assertEquals("PROTOCOL", e.path("error").path("code").asText());
            assertEquals("MALFORMED_JSON", e.path("error").path("reason").asText());
            ws.send("[1,2]");
            assertEquals("MALFORMED_JSON", ws.next().path("error").path("reason").asText());
            ws.send("{\"v\":1,\"type\":\"profile.get\",\"id\":\"a\",\"id\":\"b\"}");
            assertEquals("MALFORMED_JSON", ws.next().path("error").path("reason").asText());
            ws.send("{\"v\":1,\"id\":\"no-type\"}");
            JsonNode noType = ws.next();
            assertEquals("no-type", noType.path("id").asText());
            assertEquals("BAD_ENVELOPE", noType.path("error").path("reason").asText());
            ws.send("{\"v\":1,\"type\":\"profile.get\"}");
            assertEquals("BAD_ENVELOPE", ws.next().path("error").path("reason").asText());
            ws.send("{\"v\":1,\"type\":\"profile.get\",\"id\":\"bad id with spaces\"}");
            assertEquals("BAD_ENVELOPE", ws.next().path("error").path("reason").asText());
            ws.send("{\"v\":7,\"type\":\"profile.get\",\"id\":\"v7\"}");
            assertEquals("UNSUPPORTED_VERSION", ws.next().path("error").path("reason").asText());
            ws.send("{\"v\":1,\"type\":\"profile.get\",\"id\":\"d\",\"data\":[1]}");
            assertEquals("BAD_ENVELOPE", ws.next().path("error").path("reason").asText());
            assertEquals("alice", ws.request("profile.get", "ok", null).path("data").path("username").asText());
        }
    }

    @Test
    public void unknownTypeGetsAnErrorResponse() throws Exception {
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            JsonNode r = ws.request("chat.teleport", "x-1", null);
            assertEquals("PROTOCOL", r.path("error").path("code").asText());
            assertEquals("UNKNOWN_TYPE", r.path("error").path("reason").asText());
            assertEquals("alice", ws.request("profile.get", "x-2", null).path("data").path("username").asText());
        }
    }

    @Test
    public void requestsBeforeHelloAreRefused() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(server.server().imUri())) {
            JsonNode r = ws.request("profile.get", "early", null);
            assertEquals("UNAUTHORIZED", r.path("error").path("code").asText());
            assertEquals("NOT_AUTHENTICATED", r.path("error").path("reason").asText());
            ws.hello(token, null, "/v1/im", "dev-key", "dev-secret");
            assertEquals("alice", ws.request("profile.get", "late", null).path("data").path("username").asText());
            JsonNode second = ws.hello(token, null, "/v1/im", "dev-key", "dev-secret");
            assertEquals("ALREADY_AUTHENTICATED", second.path("error").path("reason").asText());
        }
    }

    @Test
    public void oversizedFrameClosesTheConnectionWithAReason() throws Exception {
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            ws.send("{\"v\":1,\"type\":\"profile.get\",\"id\":\"big\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            WsTestClient.Closed closed = ws.awaitClose();
            assertEquals(1009, closed.code());
            assertFalse(closed.reason().isEmpty());
        }
        assertServerStillServes();
    }

    @Test
    public void binaryFrameClosesTheConnection() throws Exception {
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            ws.sendBinary(new byte[] {1, 2, 3});
            WsTestClient.Closed closed = ws.awaitClose();
            assertEquals(1003, closed.code());
            assertEquals("binary not supported", closed.reason());
        }
        assertServerStillServes();
    }

    @Test
    public void unsupportedVersionIsRefusedWithTheSupportedOnes() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(server.server().imUri())) {
            ObjectNode data = HttpTestClient.JSON.createObjectNode();
            data.putArray("versions").add(3).add(4);
            JsonNode r = ws.request("hello", "h", data);
            assertEquals("UNSUPPORTED_VERSION", r.path("error").path("reason").asText());
            assertEquals(1, r.path("error").path("details").path("supported").get(0).asInt());
            assertEquals(2, r.path("error").path("details").path("supported").get(1).asInt());
            WsTestClient.Closed closed = ws.awaitClose();
            assertEquals(1002, closed.code());
            assertEquals("unsupported version", closed.reason());
        }
        assertServerStillServes();
    }

    @Test
    public void tooManyProtocolErrorsCloseTheConnection() throws Exception {
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            for (int i = 0; i < 21; i++) {
                ws.send("garbage " + i);
            }
            WsTestClient.Closed closed = ws.awaitClose();
            assertEquals(1002, closed.code());
            assertEquals("too many protocol errors", closed.reason());
        }
        assertServerStillServes();
    }

    @Test
    public void repeatedRequestIdGetsTheOriginalAnswerAndNoSecondEffect() throws Exception {
        ObjectNode update = HttpTestClient.JSON.createObjectNode().put("statusMessage", "first");
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            JsonNode first = ws.request("profile.update", "same-id", update);
            JsonNode event = ws.nextEvent();
            assertEquals(1, event.path("seq").asLong());
            JsonNode again = ws.request("profile.update", "same-id", update);
            assertEquals(first, again);
            // the same id with other data is another request: refused, not answered with the first answer
            JsonNode other = ws.request("profile.update", "same-id",
                    HttpTestClient.JSON.createObjectNode().put("statusMessage", "second"));
            assertEquals("REQUEST_ID_REUSED", other.path("error").path("reason").asText());
            assertEquals("first", ws.request("profile.get", "g", null).path("data").path("statusMessage").asText());
            assertTrue("no second event", ws.events.isEmpty());
        }
        // across connections too
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            JsonNode again = ws.request("profile.update", "same-id", update);
            assertEquals("first", again.path("data").path("statusMessage").asText());
        }
    }

    @Test
    public void thousandRequestsOverOneConnectionAreAllAnswered() throws Exception {
        int n = 1_000;
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), token, null)) {
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    ws.send(WsTestClient.frame("profile.get", "q-" + i, null));
                } else {
                    ws.send(WsTestClient.frame("profile.update", "q-" + i,
                            HttpTestClient.JSON.createObjectNode().put("statusMessage", "s" + i)));
                }
            }
            Map<String, JsonNode> answers = new HashMap<>();
            for (int i = 0; i < n; i++) {
                JsonNode r = ws.next();
                assertEquals("response", r.path("type").asText());
                assertTrue("answered once: " + r, answers.put(r.path("id").asText(), r) == null);
            }
            for (int i = 0; i < n; i++) {
                JsonNode r = answers.get("q-" + i);
                assertFalse("q-" + i + " failed: " + r, r.has("error"));
                assertEquals("alice", r.path("data").path("username").asText());
                if (i % 2 == 1) {
                    assertEquals("s" + i, r.path("data").path("statusMessage").asText());
                }
            }
            for (long seq = 1; seq <= n / 2; seq++) {
                JsonNode e = ws.nextEvent();
                assertEquals(seq, e.path("seq").asLong());
                assertEquals("s" + (2 * seq - 1), e.path("data").path("statusMessage").asText());
            }
        }
    }
}
