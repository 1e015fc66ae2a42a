package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import org.m800.server.testing.TestClock;

/**
 * Configurable abuse limits (issue 17 item 9): connections, requests, chat messages and groups per
 * user, sign-ups per address and per application, each with its error; other users are not affected,
 * the connection stays usable, and the limit lets actions through again as time passes (the server's
 * clock is moved forward; the rates are so low that real time adds nothing meanwhile).
 */
public class AbuseLimitsTest {
    private Path data;
    private ReferenceServer server;

    @After
    public void stop() {
        if (server != null) {
            server.close();
        }
        TestServer.deleteRecursively(data);
    }

    private void start(ReferenceServer.Builder b) throws Exception {
        data = Files.createTempDirectory("m800-abuse");
        server = b.port(0).dataDirectory(data).build().start();
    }

    @Test
    public void aUserHoldsAtMostTheConfiguredConnections() throws Exception {
        start(ReferenceServer.builder().connectionsPerUser(3));
        HttpTestClient http = HttpTestClient.dev(server);
        String alice = http.signUp("alice", "long enough").path("accessToken").asText();
        String bob = http.signUp("bob", "long enough").path("accessToken").asText();
        List<WsTestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(WsTestClient.loggedIn(server, alice, null));
            }
            try (WsTestClient fourth = WsTestClient.connect(server.imUri())) {
                JsonNode refused = fourth.hello(alice, null, "/v1/im", "dev-key", "dev-secret");
                assertEquals(refused.toString(), "RATE_LIMITED", refused.path("error").path("code").asText());
                assertEquals("TOO_MANY_CONNECTIONS", refused.path("error").path("reason").asText());
                assertEquals(1008, fourth.awaitClose().code());
            }
            // bob is not affected
            try (WsTestClient b = WsTestClient.loggedIn(server, bob, null)) {
                assertEquals("bob", b.request("profile.get", "p", null).path("data").path("username").asText());
            }
            // a closed connection gives its place back
            WsTestClient first = open.remove(0);
            first.close();
            WsTestClient again = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (again == null && System.nanoTime() < deadline) {
                // the server learns of the close asynchronously: retry until it has (a deadline, not a
                // count of attempts: on a busy machine each attempt takes longer, not the close less)
                WsTestClient c = WsTestClient.connect(server.imUri());
                JsonNode welcome = c.hello(alice, null, "/v1/im", "dev-key", "dev-secret");
                if (welcome.has("error")) {
                    c.close();
                    Thread.sleep(50);
                } else {
                    again = c;
                }
            }
            assertTrue("a place was given back", again != null);
            open.add(again);
        } finally {
            open.forEach(WsTestClient::close);
        }
    }

    @Test
    public void aUserCreatesAtMostTheConfiguredGroupsPerHour() throws Exception {
        start(ReferenceServer.builder().groupsPerUserPerHour(2));
        HttpTestClient http = HttpTestClient.dev(server);
        String alice = http.signUp("alice", "long enough").path("accessToken").asText();
        String bob = http.signUp("bob", "long enough").path("accessToken").asText();
        try (WsTestClient a = WsTestClient.loggedIn(server, alice, null);
                WsTestClient b = WsTestClient.loggedIn(server, bob, null)) {
            for (int i = 0; i < 2; i++) {
                JsonNode ok = a.request("group.create", "g" + i, HttpTestClient.JSON.createObjectNode().put("title", "g"));
                assertFalse(ok.toString(), ok.has("error"));
            }
            JsonNode refused = a.request("group.create", "g2", HttpTestClient.JSON.createObjectNode().put("title", "g"));
            assertEquals("RATE_LIMITED", refused.path("error").path("code").asText());
            assertEquals("GROUP_RATE", refused.path("error").path("reason").asText());
            assertTrue(refused.path("error").path("retryAfterMs").asLong() > 0);
            JsonNode other = b.request("group.create", "g0", HttpTestClient.JSON.createObjectNode().put("title", "b"));
            assertFalse(other.toString(), other.has("error"));
        }
    }

    private static ObjectNode text(String conv, String messageId) {
        ObjectNode d = HttpTestClient.JSON.createObjectNode().put("conversationId", conv).put("messageId", messageId);
        d.putObject("content").put("kind", "text").put("text", "hello");
        return d;
    }

    private static void assertLimited(JsonNode answer, String reason) {
        assertEquals(answer.toString(), "RATE_LIMITED", answer.path("error").path("code").asText());
        assertEquals(answer.toString(), reason, answer.path("error").path("reason").asText());
        assertTrue(answer.toString(), answer.path("error").path("retryAfterMs").asLong() > 0);
    }

    private static JsonNode ok(JsonNode answer) {
        assertFalse(answer.toString(), answer.has("error"));
        return answer.path("data");
    }

    @Test
    public void aUserSendsAtMostTheConfiguredRequestsOverAllItsConnections() throws Exception {
        TestClock clock = TestClock.system();
        // one request per 1,000 s after a burst of 4: real time refills nothing during the test
        start(ReferenceServer.builder().clock(clock).requestRate(0.001, 4));
        HttpTestClient http = HttpTestClient.dev(server);
        String alice = http.signUp("alice", "long enough").path("accessToken").asText();
        String bob = http.signUp("bob", "long enough").path("accessToken").asText();
        try (WsTestClient a1 = WsTestClient.loggedIn(server, alice, null);
                WsTestClient a2 = WsTestClient.loggedIn(server, alice, null);
                WsTestClient b = WsTestClient.loggedIn(server, bob, null)) {
            ok(a1.request("profile.get", "p1", null));
            ok(a2.request("profile.get", "p2", null));
            ok(a1.request("profile.get", "p3", null));
            ok(a2.request("profile.get", "p4", null));
            // the bucket is shared by the user's connections, and an unknown type counts too
            assertLimited(a1.request("profile.get", "p5", null), "REQUEST_RATE");
            assertLimited(a2.request("no.such.type", "p6", null), "REQUEST_RATE");
            // heartbeats are not requests: the connection stays alive and answers pings
            a1.send(WsTestClient.frame("ping", "ping1", null));
            assertEquals("pong", a1.next().path("type").asText());
            // bob is not affected
            ok(b.request("profile.get", "b1", null));
            // time refills the bucket; the refused request was not executed, so its id is free
            clock.advance(Duration.ofSeconds(1_000));
            ok(a1.request("profile.get", "p5", null));
            assertLimited(a2.request("profile.get", "p7", null), "REQUEST_RATE");
        }
    }

    @Test
    public void aUserSendsAtMostTheConfiguredChatMessages() throws Exception {
        TestClock clock = TestClock.system();
        start(ReferenceServer.builder().clock(clock).messageRate(0.001, 3));
        HttpTestClient http = HttpTestClient.dev(server);
        String alice = http.signUp("alice", "long enough").path("accessToken").asText();
        JsonNode bobUp = http.signUp("bob", "long enough");
        String bob = bobUp.path("accessToken").asText();
        try (WsTestClient a = WsTestClient.loggedIn(server, alice, null);
                WsTestClient b = WsTestClient.loggedIn(server, bob, null)) {
            String bobId = ok(b.request("profile.get", "who", null)).path("userId").asText();
            String conv = ok(a.request("chat.direct", "d", HttpTestClient.JSON.createObjectNode().put("userId", bobId)))
                    .path("id").asText();
            for (int i = 0; i < 3; i++) {
                ok(a.request("chat.send", "s" + i, text(conv, "m" + i)));
            }
            assertLimited(a.request("chat.send", "s3", text(conv, "m3")), "MESSAGE_RATE");
            // other request types still pass; bob still sends
            ok(a.request("profile.get", "p", null));
            ok(b.request("chat.send", "bs", text(conv, "bm")));
            // the refused message was not stored: sent again later under the same ids it is accepted once
            clock.advance(Duration.ofSeconds(1_000));
            JsonNode accepted = ok(a.request("chat.send", "s3", text(conv, "m3")));
            assertTrue(accepted.toString(), accepted.path("seq").asLong() > 0);
            JsonNode history = ok(a.request("chat.history", "h", HttpTestClient.JSON.createObjectNode()
                    .put("conversationId", conv)));
            assertEquals(history.toString(), 5, history.path("messages").size());
        }
    }

    @Test
    public void signUpsFromOneAddressAreLimited() throws Exception {
        TestClock clock = TestClock.system();
        start(ReferenceServer.builder().clock(clock).signUpsPerHour(20, 1_000));
        HttpTestClient http = HttpTestClient.dev(server);
        for (int i = 0; i < 20; i++) {
            http.signUp("user" + i, "long enough");
        }
        HttpTestClient.Answer refused = http.post("/v1/accounts/signup", HttpTestClient.JSON.createObjectNode()
                .put("username", "user20").put("password", "long enough"));
        assertEquals(refused.toString(), 429, refused.status());
        assertLimited(refused.body(), "SIGNUP_ADDRESS_LIMIT");
        // log-in is not a sign-up
        assertEquals(200, http.logIn("user0", "long enough").status());
        // an hour refills the bucket: one sign-up per 3 minutes (within the signature's clock skew)
        clock.advance(Duration.ofMinutes(3).plusSeconds(1));
        http.signUp("user20", "long enough");
        refused = http.post("/v1/accounts/signup", HttpTestClient.JSON.createObjectNode()
                .put("username", "user21").put("password", "long enough"));
        assertLimited(refused.body(), "SIGNUP_ADDRESS_LIMIT");
    }

    @Test
    public void signUpsOfOneApplicationAreLimitedOverEveryAddress() throws Exception {
        ApplicationRegistration other = new ApplicationRegistration("other.carrier", "org.other.app", "other-key",
                "other-secret-that-is-long-enough", "other-developer");
        start(ReferenceServer.builder().application(other).signUpsPerHour(1_000, 2));
        HttpTestClient dev = HttpTestClient.dev(server);
        dev.signUp("user0", "long enough");
        dev.signUp("user1", "long enough");
        HttpTestClient.Answer refused = dev.post("/v1/accounts/signup", HttpTestClient.JSON.createObjectNode()
                .put("username", "user2").put("password", "long enough"));
        assertLimited(refused.body(), "SIGNUP_APPLICATION_LIMIT");
        // another application is not affected
        new HttpTestClient(server.httpUri(), "other-key", "other-secret-that-is-long-enough").signUp("user2",
                "long enough");
    }
}
