package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Carriers are separate: chat does not reach a user of another carrier, as contacts does not. */
public class ChatCarriersTest {
    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void aUserOfAnotherCarrierIsUnknownToChat() throws Exception {
        Path apps = temp.getRoot().toPath().resolve("apps.json");
        Files.writeString(apps, "{\"applications\":[{\"carrier\":\"m800.example\",\"applicationIdentifier\":"
                + "\"com.example.chat\",\"applicationKey\":\"example-key\",\"applicationSecret\":\"example-secret\","
                + "\"developerKey\":\"example-dev\"}]}");
        try (ReferenceServer server = ReferenceServer.builder().port(0).dataDirectory(temp.newFolder("data").toPath())
                .applicationsFile(apps).build().start()) {
            HttpTestClient dev = HttpTestClient.dev(server);
            JsonNode alice = dev.signUp("alice", "alice-password");
            JsonNode bob = dev.signUp("bob", "bob-password");
            JsonNode erin = new HttpTestClient(server.httpUri(), "example-key", "example-secret")
                    .signUp("erin", "erin-password");
            String erinId = erin.path("userId").asText();
            try (WsTestClient a = WsTestClient.loggedIn(server, alice.path("accessToken").asText(), null)) {
                assertNoSuchUser(a.request("chat.direct", "d1", obj().put("userId", erinId)));
                ObjectNode group = obj().put("title", "mixed");
                group.putArray("members").add(bob.path("userId").asText()).add(erinId);
                assertNoSuchUser(a.request("group.create", "g1", group));
                ObjectNode invite = obj();
                // a group of alice and bob, then erin invited
                ObjectNode own = obj().put("title", "ours");
                own.putArray("members").add(bob.path("userId").asText());
                JsonNode created = a.request("group.create", "g2", own);
                assertFalse(created.toString(), created.has("error"));
                invite.put("conversationId", created.path("data").path("id").asText()).putArray("userIds").add(erinId);
                assertNoSuchUser(a.request("group.invite", "g3", invite));
                // the same carrier still works on the same connection
                JsonNode direct = a.request("chat.direct", "d2", obj().put("userId", bob.path("userId").asText()));
                assertFalse(direct.toString(), direct.has("error"));
            }
        }
    }

    private static ObjectNode obj() {
        return HttpTestClient.JSON.createObjectNode();
    }

    private static void assertNoSuchUser(JsonNode response) {
        assertEquals(response.toString(), "NOT_FOUND", response.path("error").path("code").asText());
        assertEquals(response.toString(), "NO_SUCH_USER", response.path("error").path("reason").asText());
    }
}
