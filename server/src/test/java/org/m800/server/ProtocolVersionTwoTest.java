package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Rule;
import org.junit.Test;

/**
 * Protocol version 2 (docs/protocol.md 7.6): negotiated in the hello; the connection that sends a message
 * gets its seqs in the answer and no copy of its own chat.message event, while the sender's other devices
 * (version 1 or 2) and the other members still get it; an ack covers the events before it. Version 1
 * connections keep working beside version 2 ones.
 */
public class ProtocolVersionTwoTest {
    @Rule
    public final TestServer server = new TestServer();

    private static ObjectNode obj() {
        return HttpTestClient.JSON.createObjectNode();
    }

    private static ObjectNode text(String conv, String messageId) {
        ObjectNode d = obj().put("conversationId", conv).put("messageId", messageId);
        d.putObject("content").put("kind", "text").put("text", messageId);
        return d;
    }

    private static JsonNode ok(JsonNode response) {
        assertFalse(response.toString(), response.has("error"));
        return response.path("data");
    }

    @Test
    public void aVersionTwoSenderGetsItsSeqsAndNoEchoWhileOthersGetTheEvent() throws Exception {
        HttpTestClient http = HttpTestClient.dev(server.server());
        String aliceToken = http.signUp("alice", "alice-password").path("accessToken").asText();
        String bobToken = http.signUp("bob", "bob-password").path("accessToken").asText();
        long[] ackedSeq = new long[1];
        String aliceOtherDevice = http.logIn("alice", "alice-password").body().path("accessToken").asText();
        try (WsTestClient alice = WsTestClient.loggedIn(server.server(), aliceToken, null, new int[] {1, 2});
                WsTestClient aliceV1 = WsTestClient.loggedIn(server.server(), aliceOtherDevice, null);
                WsTestClient bob = WsTestClient.loggedIn(server.server(), bobToken, null, new int[] {2})) {
            String bobId = ok(bob.request("profile.get", "p", null)).path("userId").asText();
            String conv = ok(alice.request("chat.direct", "d", obj().put("userId", bobId))).path("id").asText();
            JsonNode sent = alice.request("chat.send", "s1", text(conv, "m1"));
            assertEquals(2, sent.path("v").asInt());
            JsonNode data = ok(sent);
            assertEquals(1, data.path("seq").asLong());
            long eventSeq = data.path("eventSeq").asLong();
            assertTrue(sent.toString(), eventSeq > 0);
            // the other device (version 1) and bob (version 2) get the event; bob's frame is a version 2 frame
            JsonNode onOther = nextMessage(aliceV1);
            assertEquals(1, onOther.path("v").asInt());
            assertEquals(eventSeq, onOther.path("seq").asLong());
            assertEquals("m1", onOther.path("data").path("messageId").asText());
            JsonNode onBob = nextMessage(bob);
            assertEquals(2, onBob.path("v").asInt());
            assertEquals("m1", onBob.path("data").path("messageId").asText());
            // bob answers: alice's connection gets bob's message, and no copy of her own came before it
            ok(bob.request("chat.send", "b1", text(conv, "b1")));
            JsonNode next = nextMessage(alice);
            assertEquals("b1", next.path("data").path("messageId").asText());
            assertTrue(next.path("seq").asLong() > eventSeq);
            // a cumulative ack of the newest seq covers the own event it never received
            ackedSeq[0] = next.path("seq").asLong();
            alice.send(obj().put("v", 2).put("type", "ack").put("seq", ackedSeq[0]));
            // a version 1 frame on a version 2 connection is refused as such
            alice.send("{\"v\":1,\"type\":\"ping\",\"id\":\"old\"}");
            JsonNode refused = alice.next();
            assertEquals("old", refused.path("id").asText());
            assertEquals("UNSUPPORTED_VERSION", refused.path("error").path("reason").asText());
            alice.send(WsTestClient.frame("ping", "p2", null));
            JsonNode pong = alice.next();
            assertEquals(pong.toString(), "pong", pong.path("type").asText());
            assertEquals(2, pong.path("v").asInt());
        }
        // the ack was recorded (the ping after it was answered after its batch committed): a new connection of
        // that session resumes from it
        try (WsTestClient again = WsTestClient.connect(server.server().imUri())) {
            JsonNode hello = again.hello(aliceToken, null, "/v1/im", "dev-key", "dev-secret");
            assertEquals("the hello's answer is a version 1 frame", 1, hello.path("v").asInt());
            JsonNode welcome = ok(hello);
            assertEquals(welcome.toString(), ackedSeq[0], welcome.path("resumeFrom").asLong());
        }
    }

    @Test
    public void aVersionOneSenderStillGetsItsOwnEvent() throws Exception {
        HttpTestClient http = HttpTestClient.dev(server.server());
        String aliceToken = http.signUp("alice", "alice-password").path("accessToken").asText();
        String bobToken = http.signUp("bob", "bob-password").path("accessToken").asText();
        try (WsTestClient alice = WsTestClient.loggedIn(server.server(), aliceToken, null);
                WsTestClient bob = WsTestClient.loggedIn(server.server(), bobToken, null, new int[] {1, 2})) {
            String bobId = ok(bob.request("profile.get", "p", null)).path("userId").asText();
            String conv = ok(alice.request("chat.direct", "d", obj().put("userId", bobId))).path("id").asText();
            JsonNode sent = alice.request("chat.send", "s1", text(conv, "m1"));
            assertEquals(1, sent.path("v").asInt());
            assertFalse("no eventSeq in version 1", ok(sent).has("eventSeq"));
            JsonNode own = nextMessage(alice);
            assertEquals("m1", own.path("data").path("messageId").asText());
            assertEquals(1, own.path("v").asInt());
            assertEquals("m1", nextMessage(bob).path("data").path("messageId").asText());
        }
    }

    /** @return the next chat.message event of the connection (other events skipped) */
    private static JsonNode nextMessage(WsTestClient ws) throws InterruptedException {
        while (true) {
            JsonNode e = ws.nextEvent();
            if ("chat.message".equals(e.path("event").asText())) {
                return e;
            }
        }
    }
}
