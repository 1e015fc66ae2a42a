package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Rule;
import org.junit.Test;

/**
 * Issue 17 items 11, 12, 13 on the server: message ids keyed (sender, messageId); no reaction to a
 * message from before one joined; lone surrogates and overflowing protocol versions refused.
 */
public class ChatRulesTest {
    @Rule
    public final TestServer server = new TestServer();

    private static ObjectNode obj() {
        return HttpTestClient.JSON.createObjectNode();
    }

    private static ObjectNode text(String conv, String messageId, String text) {
        ObjectNode d = obj().put("conversationId", conv).put("messageId", messageId);
        d.putObject("content").put("kind", "text").put("text", text);
        return d;
    }

    private static JsonNode ok(JsonNode response) {
        assertFalse(response.toString(), response.has("error"));
        return response.path("data");
    }

    private static void assertError(JsonNode response, String reason) {
        assertEquals(response.toString(), reason, response.path("error").path("reason").asText());
    }

    private WsTestClient user(String name) throws Exception {
        JsonNode s = HttpTestClient.dev(server.server()).signUp(name, name + "-password");
        WsTestClient ws = WsTestClient.loggedIn(server.server(), s.path("accessToken").asText(), null);
        ws.request("profile.get", "whoami", null);
        return ws;
    }

    private static String id(WsTestClient ws) throws Exception {
        return ws.request("profile.get", ws.nextId(), null).path("data").path("userId").asText();
    }

    @Test
    public void aMessageIsKeyedBySenderAndId() throws Exception {
        try (WsTestClient alice = user("alice"); WsTestClient bob = user("bob")) {
            String bobId = id(bob);
            String conv = ok(alice.request("chat.direct", "d", obj().put("userId", bobId))).path("id").asText();
            ok(bob.request("chat.send", "s1", text(conv, "m1", "bob's")));
            // alice may use the same id: ids are unique per sender
            ok(alice.request("chat.send", "s2", text(conv, "m1", "alice's")));
            // and edits her own m1, not bob's
            JsonNode edited = ok(alice.request("chat.edit", "e1",
                    obj().put("conversationId", conv).put("messageId", "m1").put("text", "alice's, edited")));
            assertEquals(id(alice), edited.path("senderId").asText());
            // bob's m1 is still bob's to edit
            ok(bob.request("chat.edit", "e2", obj().put("conversationId", conv).put("messageId", "m1")
                    .put("text", "bob's, edited")));
            // a reaction names the sender when the id is ambiguous
            assertError(alice.request("chat.react", "r1", obj().put("conversationId", conv).put("messageId", "m1")
                    .put("emoji", "+1")), "AMBIGUOUS_MESSAGE_ID");
            JsonNode reacted = ok(alice.request("chat.react", "r2", obj().put("conversationId", conv)
                    .put("messageId", "m1").put("senderId", bobId).put("emoji", "+1")));
            assertEquals(bobId, reacted.path("messageSenderId").asText());
            // reusing an id in another conversation is refused, not answered with the first answer
            ObjectNode group = obj().put("title", "g");
            group.putArray("members").add(bobId);
            String other = ok(alice.request("group.create", "g", group)).path("id").asText();
            assertError(alice.request("chat.send", "s3", text(other, "m1", "again")), "MESSAGE_ID_TAKEN");
        }
    }

    @Test
    public void aNewMemberCannotReactToMessagesFromBeforeItJoined() throws Exception {
        try (WsTestClient alice = user("alice"); WsTestClient carol = user("carol")) {
            String carolId = id(carol);
            String conv = ok(alice.request("group.create", "g", obj().put("title", "g"))).path("id").asText();
            ok(alice.request("chat.send", "s1", text(conv, "early", "before carol")));
            ObjectNode invite = obj().put("conversationId", conv);
            invite.putArray("userIds").add(carolId);
            ok(alice.request("group.invite", "i", invite));
            ok(alice.request("chat.send", "s2", text(conv, "late", "after carol")));
            assertError(carol.request("chat.react", "r1", obj().put("conversationId", conv).put("messageId", "early")
                    .put("emoji", "+1")), "NO_SUCH_MESSAGE");
            ok(carol.request("chat.react", "r2", obj().put("conversationId", conv).put("messageId", "late")
                    .put("emoji", "+1")));
        }
    }

    @Test
    public void aLoneSurrogateAndAnOverflowingVersionAreRefused() throws Exception {
        try (WsTestClient alice = user("alice"); WsTestClient bob = user("bob")) {
            String conv = ok(alice.request("chat.direct", "d", obj().put("userId", id(bob)))).path("id").asText();
            alice.send("{\"v\":1,\"type\":\"chat.send\",\"id\":\"s1\",\"data\":{\"conversationId\":\"" + conv
                    + "\",\"messageId\":\"m1\",\"content\":{\"kind\":\"text\",\"text\":\"a\\ud800b\"}}}");
            JsonNode lone = alice.next();
            assertEquals(lone.toString(), "INVALID_ARGUMENT", lone.path("error").path("code").asText());
            assertEquals("content", lone.path("error").path("details").path("field").asText());
            alice.send("{\"v\":1,\"type\":\"chat.send\",\"id\":\"s2\",\"data\":{\"conversationId\":\"" + conv
                    + "\",\"messageId\":\"m2\",\"content\":{\"kind\":\"custom\",\"customType\":\"app.x\","
                    + "\"data\":{\"k\":[\"\\udc00\"]}}}}");
            assertEquals("INVALID_ARGUMENT", alice.next().path("error").path("code").asText());
            // a surrogate pair is one character, accepted
            ok(alice.request("chat.send", "s3", text(conv, "m3", "\ud83d\ude00")));
            // 2^32 + 1 is not version 1
            alice.send("{\"v\":4294967297,\"type\":\"profile.get\",\"id\":\"p\"}");
            JsonNode overflow = alice.next();
            assertEquals(overflow.toString(), "UNSUPPORTED_VERSION", overflow.path("error").path("reason").asText());
            ok(alice.request("profile.get", "p2", null)); // the connection goes on
        }
    }
}
