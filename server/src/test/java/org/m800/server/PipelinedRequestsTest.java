package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Rule;
import org.junit.Test;

/**
 * Requests sent without waiting for their answers are handled in group-commit batches (issue 15): each
 * is answered once, in the order sent, with the seqs in that order, and every event reaches the other
 * member once and in order, also when two senders interleave and when one request of a batch fails.
 */
public class PipelinedRequestsTest {
    private static final int MESSAGES = 300;

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

    private WsTestClient user(String name) throws Exception {
        JsonNode s = HttpTestClient.dev(server.server()).signUp(name, name + "-password");
        return WsTestClient.loggedIn(server.server(), s.path("accessToken").asText(), null);
    }

    private static JsonNode ok(JsonNode response) {
        assertFalse(response.toString(), response.has("error"));
        return response.path("data");
    }

    @Test
    public void pipelinedSendsAreAnsweredAndDeliveredOnceInOrder() throws Exception {
        try (WsTestClient alice = user("alice"); WsTestClient bob = user("bob"); WsTestClient carol = user("carol")) {
            String bobId = ok(bob.request("profile.get", "p", null)).path("userId").asText();
            String carolId = ok(carol.request("profile.get", "p", null)).path("userId").asText();
            ObjectNode group = obj().put("title", "g");
            group.putArray("members").add(bobId).add(carolId);
            String conv = ok(alice.request("group.create", "g", group)).path("id").asText();
            for (int i = 0; i < MESSAGES; i++) {
                alice.send(WsTestClient.frame("chat.send", "a" + i, text(conv, "am" + i)));
                carol.send(WsTestClient.frame("chat.send", "c" + i, text(conv, "cm" + i)));
                if (i == MESSAGES / 2) {
                    // a request that fails in the middle of a batch: answered with its error, the rest unharmed
                    alice.send(WsTestClient.frame("chat.send", "bad", obj().put("conversationId", conv)));
                }
            }
            long aliceSeq = answers(alice, "a", conv);
            long carolSeq = answers(carol, "c", conv);
            assertEquals(2L * MESSAGES, Math.max(aliceSeq, carolSeq));
            // bob gets the group event, then every message once, in conversation order, each sender's in send order
            long lastSeq = 0;
            int nextA = 0;
            int nextC = 0;
            while (nextA < MESSAGES || nextC < MESSAGES) {
                JsonNode e = bob.nextEvent();
                if (!"chat.message".equals(e.path("event").asText())) {
                    continue;
                }
                long seq = e.path("data").path("seq").asLong();
                assertEquals(lastSeq + 1, seq);
                lastSeq = seq;
                String id = e.path("data").path("messageId").asText();
                if (id.startsWith("am")) {
                    assertEquals("am" + nextA++, id);
                } else {
                    assertEquals("cm" + nextC++, id);
                }
            }
        }
    }

    /** @return the last seq; checks the answers come in request order with rising seqs, the bad one failed */
    private static long answers(WsTestClient ws, String prefix, String conv) throws Exception {
        long last = 0;
        for (int i = 0; i < MESSAGES; i++) {
            JsonNode r = ws.next();
            if ("bad".equals(r.path("id").asText())) {
                assertEquals(r.toString(), "INVALID_ARGUMENT", r.path("error").path("code").asText());
                r = ws.next();
            }
            assertEquals(prefix + i, r.path("id").asText());
            JsonNode d = ok(r);
            assertEquals(conv, d.path("conversationId").asText());
            long seq = d.path("seq").asLong();
            assertEquals(true, seq > last);
            last = seq;
        }
        return last;
    }
}
