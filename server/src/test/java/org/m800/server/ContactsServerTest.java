package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;

/** The server's contacts, blocking, presence and address-book rules (docs/protocol.md section 19). */
public class ContactsServerTest {
    @Rule
    public final TestServer server = new TestServer();

    private static ObjectNode obj() {
        return HttpTestClient.JSON.createObjectNode();
    }

    private static ObjectNode user(String id) {
        return obj().put("userId", id);
    }

    private record Account(String userId, String token) {
    }

    private Account signUp(String name) throws Exception {
        JsonNode a = HttpTestClient.dev(server.server()).signUp(name, name + "-password");
        return new Account(a.path("userId").asText(), a.path("accessToken").asText());
    }

    /** Signs up with a number verified through the development outbox. */
    private static Account signUpVerified(ReferenceServer s, String name, String phone) throws Exception {
        HttpTestClient http = HttpTestClient.dev(s);
        JsonNode session = ok(http.post("/v1/verification/start", obj().put("phoneNumber", phone)));
        JsonNode out = ok(http.post("/v1/verification/outbox", obj().put("phoneNumber", phone)));
        String code = out.path("deliveries").get(0).path("code").asText();
        JsonNode checked = ok(http.post("/v1/verification/check", obj().put("sessionId",
                session.path("sessionId").asText()).put("code", code)));
        JsonNode a = ok(http.post("/v1/accounts/signup", obj().put("username", name).put("password", name + "-password")
                .put("verificationProof", checked.path("proof").asText())));
        return new Account(a.path("userId").asText(), a.path("accessToken").asText());
    }

    private static JsonNode ok(HttpTestClient.Answer a) {
        if (a.status() != 200) {
            throw new AssertionError("expected 200, got " + a);
        }
        return a.body();
    }

    private static JsonNode data(JsonNode response) {
        if (response.has("error")) {
            throw new AssertionError("request failed: " + response);
        }
        return response.path("data");
    }

    private static void assertError(JsonNode response, String code, String reason) {
        assertEquals(response.toString(), code, response.path("error").path("code").asText());
        assertEquals(response.toString(), reason, response.path("error").path("reason").asText());
    }

    private static JsonNode nextEvent(WsTestClient c, String type) throws Exception {
        while (true) {
            JsonNode e = c.nextEvent();
            if (type.equals(e.path("event").asText())) {
                return e;
            }
        }
    }

    @Test
    public void contactsAreSyncedToEveryDeviceAndListedIncrementally() throws Exception {
        Account alice = signUp("alice");
        Account bob = signUp("bob");
        Account carol = signUp("carol");
        String aliceSecond = HttpTestClient.dev(server.server()).logIn("alice", "alice-password").body()
                .path("accessToken").asText();
        try (WsTestClient a1 = WsTestClient.loggedIn(server.server(), alice.token(), null);
                WsTestClient a2 = WsTestClient.loggedIn(server.server(), aliceSecond, null);
                WsTestClient b = WsTestClient.loggedIn(server.server(), bob.token(), null)) {
            assertError(a1.request("contact.add", "x1", user(alice.userId())), "INVALID_ARGUMENT", "SELF");
            assertError(a1.request("contact.add", "x2", user("u-nobody")), "NOT_FOUND", "NO_SUCH_USER");
            assertError(a1.request("contact.remove", "x3", user(bob.userId())), "NOT_FOUND", "NOT_A_CONTACT");
            assertError(a1.request("contact.alias", "x4", user(bob.userId()).put("alias", "B")), "NOT_FOUND",
                    "NOT_A_CONTACT");
            assertError(a1.request("contact.add", "x5", user(bob.userId()).put("alias", "x".repeat(101))),
                    "INVALID_ARGUMENT", "TOO_LONG");

            JsonNode added = data(a1.request("contact.add", "c1", user(bob.userId()).put("alias", "Bobby")));
            assertEquals("bob", added.path("username").asText());
            assertEquals("Bobby", added.path("alias").asText());
            JsonNode ev = nextEvent(a2, "contact.updated");
            assertEquals("added", ev.path("data").path("change").asText());
            assertEquals(bob.userId(), ev.path("data").path("contact").path("userId").asText());
            assertEquals("added", nextEvent(a1, "contact.updated").path("data").path("change").asText());

            JsonNode full = data(a2.request("contact.list", "l1", obj()));
            assertTrue(full.path("full").asBoolean());
            assertEquals(1, full.path("contacts").size());
            String cursor = full.path("cursor").asText();

            // nothing changed: an incremental list has no removal and at most repeats (a profile changed in
            // the last 10 s is listed again, to be safe against late commits)
            JsonNode none = data(a2.request("contact.list", "l2", obj().put("since", cursor)));
            assertFalse(none.path("full").asBoolean());
            assertEquals(none.toString(), 0, none.path("removed").size());
            for (JsonNode c : none.path("contacts")) {
                assertEquals(full.path("contacts").get(0), c);
            }

            data(a1.request("contact.add", "c2", user(carol.userId())));
            data(a1.request("contact.alias", "c3", user(bob.userId()).putNull("alias")));
            data(a1.request("contact.remove", "c4", user(carol.userId())));
            JsonNode delta = data(a2.request("contact.list", "l3", obj().put("since", cursor)));
            assertEquals(delta.toString(), 1, delta.path("contacts").size());
            assertTrue(delta.path("contacts").get(0).path("alias").isNull());
            assertEquals(carol.userId(), delta.path("removed").get(0).path("userId").asText());
            assertError(a2.request("contact.list", "l4", obj().put("since", "garbage")), "INVALID_ARGUMENT",
                    "BAD_FIELD");

            // a repeated request id gets the first answer and no second event
            data(a1.request("contact.add", "c1", user(bob.userId()).put("alias", "Bobby")));
            // bob was never told anything
            b.send(WsTestClient.frame("ping", "p1", null));
            assertEquals("pong", b.next().path("type").asText());
        }
    }

    @Test
    public void aBlockedUsersMessagesDoNotArriveAndTheyAreNotTold() throws Exception {
        Account alice = signUp("alice");
        Account bob = signUp("bob");
        try (WsTestClient a = WsTestClient.loggedIn(server.server(), alice.token(), null);
                WsTestClient b = WsTestClient.loggedIn(server.server(), bob.token(), null)) {
            assertError(a.request("block.add", "k0", user(alice.userId())), "INVALID_ARGUMENT", "SELF");
            assertError(a.request("block.add", "k00", user("u-nobody")), "NOT_FOUND", "NO_SUCH_USER");
            String conv = data(b.request("chat.direct", "d1", user(alice.userId()))).path("id").asText();
            JsonNode blocked = data(a.request("block.add", "k1", user(bob.userId())));
            assertTrue(blocked.path("blocked").asBoolean());
            assertEquals("block.updated", nextEvent(a, "block.updated").path("event").asText());
            assertEquals(1, data(a.request("block.list", "k2", obj())).path("blocked").size());

            ObjectNode msg = obj().put("conversationId", conv).put("messageId", "m-1");
            msg.putObject("content").put("kind", "text").put("text", "can you hear me");
            JsonNode accepted = data(b.request("chat.send", "s1", msg));
            assertEquals(1, accepted.path("seq").asLong());

            data(a.request("block.remove", "k3", user(bob.userId())));
            ObjectNode msg2 = obj().put("conversationId", conv).put("messageId", "m-2");
            msg2.putObject("content").put("kind", "text").put("text", "now?");
            data(b.request("chat.send", "s2", msg2));
            JsonNode arrived = nextEvent(a, "chat.message");
            assertEquals("only the message sent after unblocking arrives", "m-2",
                    arrived.path("data").path("messageId").asText());
            // bob's own log has his two messages and nothing about the block
            List<String> bobEvents = new ArrayList<>();
            bobEvents.add(b.nextEvent().path("event").asText());
            bobEvents.add(b.nextEvent().path("event").asText());
            assertEquals(List.of("chat.message", "chat.message"), bobEvents);

            // alice's cumulative receipt covers seq 1, which she never got: bob learns it was withheld,
            // alice's own devices get the plain receipt
            ObjectNode read = obj().put("conversationId", conv).put("kind", "read").put("upTo", 2);
            data(a.request("chat.receipt", "r1", read));
            JsonNode toBob = nextEvent(b, "chat.receipt").path("data");
            assertEquals(2, toBob.path("readUpTo").asLong());
            assertEquals("[1]", toBob.path("withheld").toString());
            JsonNode toAlice = nextEvent(a, "chat.receipt").path("data");
            assertEquals(2, toAlice.path("readUpTo").asLong());
            assertTrue(toAlice.toString(), toAlice.path("withheld").isMissingNode());
        }
    }

    @Test
    public void blocksAndPresenceSubscriptionsSurviveARestart() throws Exception {
        Account alice = signUp("alice");
        Account bob = signUp("bob");
        String conv;
        try (WsTestClient a = WsTestClient.loggedIn(server.server(), alice.token(), null);
                WsTestClient b = WsTestClient.loggedIn(server.server(), bob.token(), null)) {
            conv = data(b.request("chat.direct", "d1", user(alice.userId()))).path("id").asText();
            data(a.request("block.add", "k1", user(bob.userId())));
            ObjectNode sub = obj();
            sub.putArray("userIds").add(bob.userId());
            data(a.request("presence.subscribe", "p1", sub));
        }
        server.server().close();
        ReferenceServer again = server.start();
        try (WsTestClient a = WsTestClient.loggedIn(again, alice.token(), null);
                WsTestClient b = WsTestClient.loggedIn(again, bob.token(), null)) {
            assertEquals(bob.userId(), data(a.request("block.list", "k2", obj())).path("blocked").get(0)
                    .path("userId").asText());
            assertEquals(bob.userId(), data(a.request("presence.subscriptions", "p2", obj())).path("userIds").get(0)
                    .asText());
            ObjectNode blocked = obj().put("conversationId", conv).put("messageId", "m-1");
            blocked.putObject("content").put("kind", "text").put("text", "still blocked?");
            data(b.request("chat.send", "s1", blocked));
            data(a.request("block.remove", "k3", user(bob.userId())));
            ObjectNode free = obj().put("conversationId", conv).put("messageId", "m-2");
            free.putObject("content").put("kind", "text").put("text", "and now?");
            data(b.request("chat.send", "s2", free));
            assertEquals("the block list was loaded again: only the later message arrives", "m-2",
                    nextEvent(a, "chat.message").path("data").path("messageId").asText());
        }
    }

    @Test
    public void addressBookMatchingFindsVerifiedNumbersOfTheCarrierOnly() throws Exception {
        Account alice = signUpVerified(server.server(), "alice", "+447400123456");
        Account bob = signUpVerified(server.server(), "bob", "+14155550132");
        signUp("carol");
        try (WsTestClient a = WsTestClient.loggedIn(server.server(), alice.token(), null)) {
            ObjectNode req = obj();
            req.putArray("numbers").add("+14155550132").add("+447400123456").add("+12025550100").add("+14155550132");
            JsonNode matches = data(a.request("contact.match", "m1", req)).path("matches");
            assertEquals(matches.toString(), 1, matches.size());
            assertEquals(bob.userId(), matches.get(0).path("userId").asText());
            assertEquals("+14155550132", matches.get(0).path("phoneNumber").asText());

            ObjectNode bad = obj();
            bad.putArray("numbers").add("+14155550132").add("0740 0123456");
            JsonNode r = a.request("contact.match", "m2", bad);
            assertError(r, "INVALID_ARGUMENT", "INVALID_NUMBER");
            assertEquals("numbers[1]", r.path("error").path("details").path("field").asText());

            ObjectNode big = obj();
            ArrayNode nums = big.putArray("numbers");
            for (int i = 0; i < 1_001; i++) {
                nums.add("+1415555" + String.format("%04d", i));
            }
            assertError(a.request("contact.match", "m3", big), "INVALID_ARGUMENT", "TOO_LONG");
            assertError(a.request("contact.match", "m4", obj()), "INVALID_ARGUMENT", "MISSING_FIELD");
        }
    }

    @Test
    public void presenceReachesSubscribersAndADeadConnectionGoesOfflineWithinTheIdleTimeout() throws Exception {
        Path dir = Files.createTempDirectory("m800-presence");
        try (ReferenceServer s = ReferenceServer.builder().port(0).dataDirectory(dir)
                .idleTimeout(Duration.ofMillis(1_500)).build().start()) {
            HttpTestClient http = HttpTestClient.dev(s);
            JsonNode alice = http.signUp("alice", "alice-password");
            JsonNode bob = http.signUp("bob", "bob-password");
            String bobId = bob.path("userId").asText();
            try (WsTestClient a = WsTestClient.loggedIn(s, alice.path("accessToken").asText(), null)) {
                ObjectNode sub = obj();
                sub.putArray("userIds").add(bobId);
                JsonNode now = data(a.request("presence.subscribe", "p1", sub)).path("presences").get(0);
                assertEquals("offline", now.path("state").asText());
                ObjectNode self = obj();
                self.putArray("userIds").add(alice.path("userId").asText());
                assertError(a.request("presence.subscribe", "p2", self), "INVALID_ARGUMENT", "SELF");

                WsTestClient b = WsTestClient.loggedIn(s, bob.path("accessToken").asText(), null);
                JsonNode online = awaitPresence(a, bobId, "online");
                assertTrue(online.path("lastSeen").isNull());
                data(b.request("presence.set", "b1", obj().put("state", "away").put("text", "lunch")));
                JsonNode away = awaitPresence(a, bobId, "away");
                assertEquals("lunch", away.path("text").asText());
                assertError(b.request("presence.set", "b2", obj().put("state", "busy")), "INVALID_ARGUMENT", "BAD_FIELD");

                // bob's device goes silent without a goodbye: dropped after the idle timeout, offline with last seen
                long silentSince = System.currentTimeMillis();
                JsonNode offline = awaitPresence(a, bobId, "offline");
                assertTrue(offline.toString(), offline.path("lastSeen").asLong() >= silentSince);
                b.close();

                // last seen hidden
                WsTestClient b2 = WsTestClient.loggedIn(s, bob.path("accessToken").asText(), null);
                awaitPresence(a, bobId, "online");
                data(b2.request("presence.set", "b3", obj().put("showLastSeen", false)));
                b2.close();
                JsonNode hidden = awaitPresence(a, bobId, "offline");
                assertTrue(hidden.toString(), hidden.path("lastSeen").isNull());
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }

    /** Waits for bob's presence in the state, pinging to keep the subscriber's own connection alive. */
    private static JsonNode awaitPresence(WsTestClient a, String userId, String state) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            a.send(WsTestClient.frame("ping", a.nextId(), null));
            JsonNode e = a.events.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS);
            a.frames.removeIf(f -> "pong".equals(f.path("type").asText()));
            if (e != null && "presence.updated".equals(e.path("event").asText())
                    && userId.equals(e.path("data").path("userId").asText())
                    && state.equals(e.path("data").path("state").asText())) {
                return e.path("data");
            }
        }
        throw new AssertionError("no presence " + state + " of " + userId);
    }
}
