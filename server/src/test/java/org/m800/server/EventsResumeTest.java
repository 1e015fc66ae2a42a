package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** The per-user event log: seq, fan-out to every session, resume after reconnect exactly once and in order. */
public class EventsResumeTest {
    @Rule
    public final TestServer server = new TestServer();

    private String tokenA;
    private String tokenB;

    @Before
    public void twoSessionsOfOneUser() throws Exception {
        HttpTestClient http = HttpTestClient.dev(server.server());
        tokenA = http.signUp("alice", "long enough").path("accessToken").asText();
        tokenB = http.logIn("alice", "long enough").body().path("accessToken").asText();
    }

    private static ObjectNode status(String s) {
        return HttpTestClient.JSON.createObjectNode().put("statusMessage", s);
    }

    private static void assertEvent(JsonNode event, long seq, String statusMessage) {
        assertEquals(event.toString(), "event", event.path("type").asText());
        assertEquals(event.toString(), seq, event.path("seq").asLong());
        assertEquals("profile.updated", event.path("event").asText());
        assertEquals(statusMessage, event.path("data").path("statusMessage").asText());
        assertTrue(event.path("ts").asLong() > 0);
    }

    @Test
    public void eventsArePushedToEverySessionWithSeq() throws Exception {
        try (WsTestClient a = WsTestClient.loggedIn(server.server(), tokenA, null);
                WsTestClient b = WsTestClient.loggedIn(server.server(), tokenB, null)) {
            b.request("profile.update", "u1", status("one"));
            b.request("profile.update", "u2", status("two"));
            assertEvent(a.nextEvent(), 1, "one");
            assertEvent(a.nextEvent(), 2, "two");
            assertEvent(b.nextEvent(), 1, "one");
            assertEvent(b.nextEvent(), 2, "two");
        }
    }

    @Test
    public void resumeFromLastSeqDeliversMissedEventsOnceInOrderThenLiveOnes() throws Exception {
        long lastSeen;
        try (WsTestClient b = WsTestClient.loggedIn(server.server(), tokenB, null)) {
            try (WsTestClient a = WsTestClient.loggedIn(server.server(), tokenA, null)) {
                b.request("profile.update", "u1", status("one"));
                assertEvent(a.nextEvent(), 1, "one");
                lastSeen = 1;
            }
            for (int i = 2; i <= 4; i++) {
                b.request("profile.update", "u" + i, status("s" + i));
            }
        }
        try (WsTestClient a = WsTestClient.connect(server.server().imUri());
                WsTestClient b = WsTestClient.loggedIn(server.server(), tokenB, null)) {
            JsonNode welcome = a.hello(tokenA, lastSeen, "/v1/im", "dev-key", "dev-secret");
            assertEquals(4, welcome.path("data").path("lastSeq").asLong());
            assertEquals(1, welcome.path("data").path("resumeFrom").asLong());
            assertEvent(a.nextEvent(), 2, "s2");
            assertEvent(a.nextEvent(), 3, "s3");
            assertEvent(a.nextEvent(), 4, "s4");
            b.request("profile.update", "u5", status("live"));
            assertEvent(a.nextEvent(), 5, "live");
            // a ping round trip proves nothing else was queued before it
            a.request("profile.get", "g", null);
            assertTrue("no duplicate: " + a.events, a.events.isEmpty());
        }
    }

    @Test
    public void withoutLastSeqTheSessionResumesFromItsAckOrFromNow() throws Exception {
        try (WsTestClient a = WsTestClient.loggedIn(server.server(), tokenA, null);
                WsTestClient b = WsTestClient.loggedIn(server.server(), tokenB, null)) {
            b.request("profile.update", "u1", status("one"));
            b.request("profile.update", "u2", status("two"));
            assertEvent(a.nextEvent(), 1, "one");
            assertEvent(a.nextEvent(), 2, "two");
            a.send(HttpTestClient.JSON.createObjectNode().put("v", 1).put("type", "ack").put("seq", 1));
            a.send(HttpTestClient.JSON.createObjectNode().put("v", 1).put("type", "ack").put("seq", 99));
            assertEquals("BAD_ACK", a.next().path("error").path("reason").asText());
        }
        try (WsTestClient a = WsTestClient.loggedIn(server.server(), tokenA, null)) {
            assertEvent(a.nextEvent(), 2, "two");
        }
        // a session that never acked starts from now
        String tokenC = HttpTestClient.dev(server.server()).logIn("alice", "long enough").body().path("accessToken")
                .asText();
        try (WsTestClient c = WsTestClient.connect(server.server().imUri())) {
            JsonNode welcome = c.hello(tokenC, null, "/v1/im", "dev-key", "dev-secret");
            assertEquals(2, welcome.path("data").path("resumeFrom").asLong());
            c.request("profile.update", "u3", status("three"));
            assertEvent(c.nextEvent(), 3, "three");
        }
    }

    @Test
    public void restartedServerKeepsAccountsAndTheEventLog() throws Exception {
        try (WsTestClient b = WsTestClient.loggedIn(server.server(), tokenB, null)) {
            b.request("profile.update", "u1", status("before restart"));
            b.request("profile.update", "u2", status("still before"));
        }
        server.server().close();
        ReferenceServer restarted = server.start();
        HttpTestClient http = HttpTestClient.dev(restarted);
        HttpTestClient.Answer login = http.logIn("alice", "long enough");
        assertEquals(200, login.status());
        try (WsTestClient a = WsTestClient.loggedIn(restarted, tokenA, 0L)) {
            assertEvent(a.nextEvent(), 1, "before restart");
            assertEvent(a.nextEvent(), 2, "still before");
            assertEquals("still before",
                    a.request("profile.get", "g", null).path("data").path("statusMessage").asText());
            // the remembered answer survives too: the repeat is answered, not executed again (no event)
            JsonNode again = a.request("profile.update", "u2", status("still before"));
            assertEquals("still before", again.path("data").path("statusMessage").asText());
            assertTrue("no second execution", a.events.isEmpty());
            // and the id with other data is another request
            assertEquals("REQUEST_ID_REUSED", a.request("profile.update", "u2", status("after")).path("error")
                    .path("reason").asText());
        }
    }
}
