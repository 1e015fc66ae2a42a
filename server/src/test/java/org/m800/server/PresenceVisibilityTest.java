package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/**
 * Presence visibility (docs/protocol.md 19.3, issue 17 item 15): everyone, contacts or nobody, across
 * users; a viewer outside the audience sees the hidden view and gets no change; the setting survives a
 * restart.
 */
public class PresenceVisibilityTest {
    @Rule
    public final TestServer server = new TestServer();

    private record Account(String userId, String token) {
    }

    private Account signUp(String name) throws Exception {
        JsonNode a = HttpTestClient.dev(server.server()).signUp(name, name + "-password");
        return new Account(a.path("userId").asText(), a.path("accessToken").asText());
    }

    private static ObjectNode obj() {
        return HttpTestClient.JSON.createObjectNode();
    }

    private static ObjectNode ids(String... userIds) {
        ObjectNode o = obj();
        for (String id : userIds) {
            o.withArray("userIds").add(id);
        }
        return o;
    }

    private static JsonNode data(JsonNode response) {
        if (response.has("error")) {
            throw new AssertionError("request failed: " + response);
        }
        return response.path("data");
    }

    private static JsonNode presenceOf(WsTestClient viewer, String userId) throws Exception {
        return data(viewer.request("presence.get", viewer.nextId(), ids(userId))).path("presences").get(0);
    }

    /** The next presence.updated event about the user (other events are skipped); fails after 20 s. */
    private static JsonNode nextPresence(WsTestClient c, String userId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode e = c.events.poll(200, TimeUnit.MILLISECONDS);
            if (e != null && "presence.updated".equals(e.path("event").asText())
                    && userId.equals(e.path("data").path("userId").asText())) {
                return e.path("data");
            }
        }
        throw new AssertionError("no presence.updated of " + userId);
    }

    private static void assertHidden(JsonNode p) {
        assertEquals(p.toString(), "offline", p.path("state").asText());
        assertEquals(p.toString(), "", p.path("text").asText());
        assertTrue(p.toString(), p.path("lastSeen").isNull());
    }

    @Test
    public void contactsOnlyNobodyAndEveryone() throws Exception {
        Account alice = signUp("alice");
        Account bob = signUp("bob");
        Account carol = signUp("carol");
        try (WsTestClient a = WsTestClient.loggedIn(server.server(), alice.token(), null);
                WsTestClient b = WsTestClient.loggedIn(server.server(), bob.token(), null);
                WsTestClient c = WsTestClient.loggedIn(server.server(), carol.token(), null)) {
            data(a.request("contact.add", "c1", obj().put("userId", bob.userId())));
            JsonNode self = data(a.request("presence.set", "s1", obj().put("visibility", "contacts")));
            assertEquals("contacts", self.path("visibility").asText());
            assertEquals("online", self.path("state").asText());

            // bob is a contact of alice: he sees her; carol is not: she sees the hidden view
            assertEquals("online", presenceOf(b, alice.userId()).path("state").asText());
            assertHidden(presenceOf(c, alice.userId()));
            // alice's view of carol is not affected by alice's own setting
            assertEquals("online", presenceOf(a, carol.userId()).path("state").asText());
            assertHidden(data(c.request("presence.subscribe", "cs", ids(alice.userId()))).path("presences").get(0));
            data(b.request("presence.subscribe", "bs", ids(alice.userId())));

            // a change reaches bob only
            data(a.request("presence.set", "s2", obj().put("text", "secret")));
            assertEquals("secret", nextPresence(b, alice.userId()).path("text").asText());

            // removed from the contacts, bob loses her presence at once
            data(a.request("contact.remove", "c2", obj().put("userId", bob.userId())));
            assertHidden(nextPresence(b, alice.userId()));
            assertHidden(presenceOf(b, alice.userId()));
            // added again, he sees her again
            data(a.request("contact.add", "c3", obj().put("userId", bob.userId())));
            assertEquals("secret", nextPresence(b, alice.userId()).path("text").asText());

            // nobody: bob is hidden from her too
            data(a.request("presence.set", "s3", obj().put("visibility", "nobody")));
            assertHidden(nextPresence(b, alice.userId()));

            // everyone: carol's first event about alice is this one; the "secret" text never reached her
            data(a.request("presence.set", "s4", obj().put("visibility", "everyone").put("text", "public")));
            JsonNode seen = nextPresence(c, alice.userId());
            assertEquals(seen.toString(), "online", seen.path("state").asText());
            assertEquals(seen.toString(), "public", seen.path("text").asText());
            assertEquals("public", presenceOf(c, alice.userId()).path("text").asText());

            // a bad value is refused and changes nothing
            JsonNode bad = a.request("presence.set", "s5", obj().put("visibility", "friends"));
            assertEquals(bad.toString(), "INVALID_ARGUMENT", bad.path("error").path("code").asText());
            assertEquals("visibility", bad.path("error").path("details").path("field").asText());
            assertEquals("public", presenceOf(c, alice.userId()).path("text").asText());
        }
    }

    @Test
    public void theSettingSurvivesARestart() throws Exception {
        Account alice = signUp("alice");
        Account bob = signUp("bob");
        try (WsTestClient a = WsTestClient.loggedIn(server.server(), alice.token(), null)) {
            data(a.request("presence.set", "s1", obj().put("visibility", "nobody").put("text", "away today")));
        }
        server.server().close();
        ReferenceServer again = server.start();
        try (WsTestClient a = WsTestClient.loggedIn(again, alice.token(), null);
                WsTestClient b = WsTestClient.loggedIn(again, bob.token(), null)) {
            assertEquals("nobody", data(a.request("presence.set", "s2", obj().put("state", "online")))
                    .path("visibility").asText());
            assertHidden(presenceOf(b, alice.userId()));
        }
    }
}
