package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Finding people (docs/protocol.md section 19.8) and the verified numbers of an account (section
 * 11.8): look-ups by username and display-name prefix, the privacy setting, the rate limit, and a
 * number attached after sign-up that address-book matching then finds; never across carriers.
 */
public class FindingPeopleTest {
    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    private static ObjectNode obj() {
        return HttpTestClient.JSON.createObjectNode();
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

    private static JsonNode ok(HttpTestClient.Answer a) {
        if (a.status() != 200) {
            throw new AssertionError("expected 200, got " + a);
        }
        return a.body();
    }

    private static ObjectNode signUp(HttpTestClient http, String username, String displayName) throws Exception {
        HttpTestClient.Answer a = http.post("/v1/accounts/signup", obj().put("username", username)
                .put("password", username + "-password").put("displayName", displayName));
        return (ObjectNode) ok(a);
    }

    /** A verification through the development outbox; @return its proof */
    private static String verify(HttpTestClient http, String phone) throws Exception {
        JsonNode session = ok(http.post("/v1/verification/start", obj().put("phoneNumber", phone)));
        JsonNode out = ok(http.post("/v1/verification/outbox", obj().put("phoneNumber", phone)));
        String code = out.path("deliveries").get(0).path("code").asText();
        return ok(http.post("/v1/verification/check", obj().put("sessionId", session.path("sessionId").asText())
                .put("code", code))).path("proof").asText();
    }

    private ReferenceServer serverWithASecondCarrier() throws Exception {
        Path apps = temp.getRoot().toPath().resolve("apps.json");
        Files.writeString(apps, "{\"applications\":[{\"carrier\":\"m800.example\",\"applicationIdentifier\":"
                + "\"com.example.find\",\"applicationKey\":\"example-key\",\"applicationSecret\":\"example-secret\","
                + "\"developerKey\":\"example-dev\"}]}");
        return ReferenceServer.builder().port(0).developmentOutbox(true).dataDirectory(temp.newFolder("data").toPath())
                .applicationsFile(apps).build().start();
    }

    private static WsTestClient connect(ReferenceServer server, JsonNode account, String key, String secret)
            throws Exception {
        WsTestClient c = WsTestClient.connect(server.imUri());
        JsonNode r = c.hello(account.path("accessToken").asText(), null, "/v1/im", key, secret);
        if (r.has("error")) {
            c.close();
            throw new AssertionError("hello failed: " + r);
        }
        return c;
    }

    @Test
    public void usersAreFoundByUsernameAndByDisplayNameOnlyWhenTheyAllowItAndOnlyInTheirCarrier() throws Exception {
        try (ReferenceServer server = serverWithASecondCarrier()) {
            HttpTestClient dev = HttpTestClient.dev(server);
            HttpTestClient example = new HttpTestClient(server.httpUri(), "example-key", "example-secret");
            JsonNode alice = signUp(dev, "alice", "Alice Liddell");
            JsonNode alan = signUp(dev, "alan", "Alan Turing");
            JsonNode albert = signUp(dev, "albert", "Albert Einstein");
            JsonNode erin = signUp(example, "erin", "Alma Erin"); // another carrier
            JsonNode alex = signUp(example, "alex", "Alex Other");
            try (WsTestClient a = connect(server, alice, "dev-key", "dev-secret");
                    WsTestClient t = connect(server, alan, "dev-key", "dev-secret");
                    WsTestClient b = connect(server, albert, "dev-key", "dev-secret");
                    WsTestClient e = connect(server, erin, "example-key", "example-secret");
                    WsTestClient x = connect(server, alex, "example-key", "example-secret")) {
                // by username: exact, any user of the carrier, whatever their setting
                JsonNode found = data(a.request("user.find", "f1", obj().put("username", "alan")));
                assertEquals(alan.path("userId").asText(), found.path("user").path("userId").asText());
                assertEquals("Alan Turing", found.path("user").path("displayName").asText());
                assertError(a.request("user.find", "f2", obj().put("username", "ala")), "NOT_FOUND", "NO_SUCH_USER");
                assertError(a.request("user.find", "f3", obj().put("username", "alice")), "NOT_FOUND", "NO_SUCH_USER");
                assertError(a.request("user.find", "f4", obj().put("username", "Bad Name!")), "INVALID_ARGUMENT",
                        "BAD_FIELD");
                assertError(a.request("user.find", "f5", obj()), "INVALID_ARGUMENT", "MISSING_FIELD");
                // across carriers nobody is found, in either direction
                assertError(a.request("user.find", "f6", obj().put("username", "erin")), "NOT_FOUND", "NO_SUCH_USER");
                assertError(e.request("user.find", "f7", obj().put("username", "alan")), "NOT_FOUND", "NO_SUCH_USER");

                // by display name: off by default
                assertFalse(data(t.request("user.discoverable", "d0", obj())).path("byDisplayName").asBoolean());
                assertEquals(0, data(a.request("user.search", "s1", obj().put("displayNamePrefix", "al")))
                        .path("users").size());
                assertTrue(data(t.request("user.discoverable", "d1", obj().put("byDisplayName", true)))
                        .path("byDisplayName").asBoolean());
                assertTrue(data(b.request("user.discoverable", "d2", obj().put("byDisplayName", true)))
                        .path("byDisplayName").asBoolean());
                assertTrue(data(e.request("user.discoverable", "d3", obj().put("byDisplayName", true)))
                        .path("byDisplayName").asBoolean());
                assertTrue(data(t.request("user.discoverable", "d4", obj())).path("byDisplayName").asBoolean());
                JsonNode al = data(a.request("user.search", "s2", obj().put("displayNamePrefix", "AL")));
                assertEquals(al.toString(), List.of("Alan Turing", "Albert Einstein"), names(al));
                assertEquals(List.of("Alan Turing"), names(data(a.request("user.search", "s3",
                        obj().put("displayNamePrefix", "alan t")))));
                assertEquals(List.of("Alan Turing"), names(data(a.request("user.search", "s4",
                        obj().put("displayNamePrefix", "al").put("limit", 1)))));
                // the searcher is not listed; nor a user of another carrier (Alma Erin allows it, elsewhere)
                assertEquals(List.of("Albert Einstein"), names(data(t.request("user.search", "s5",
                        obj().put("displayNamePrefix", "al")))));
                assertEquals(List.of("Alma Erin"), names(data(x.request("user.search", "s7",
                        obj().put("displayNamePrefix", "al")))));
                // LIKE wildcards are plain characters
                assertEquals(0, data(a.request("user.search", "s8", obj().put("displayNamePrefix", "%%")))
                        .path("users").size());
                assertError(a.request("user.search", "s9", obj().put("displayNamePrefix", "a")), "INVALID_ARGUMENT",
                        "BAD_FIELD");
                assertError(a.request("user.search", "s9b", obj().put("displayNamePrefix", " a ")), "INVALID_ARGUMENT",
                        "TOO_SHORT");
                assertError(a.request("user.search", "s10", obj().put("displayNamePrefix", "al").put("limit", 51)),
                        "INVALID_ARGUMENT", "OUT_OF_RANGE");
                assertError(t.request("user.discoverable", "d5", obj().put("byDisplayName", "yes")),
                        "INVALID_ARGUMENT", "BAD_FIELD");
                // turned off again: gone from searches, still found by username
                data(b.request("user.discoverable", "d6", obj().put("byDisplayName", false)));
                assertEquals(List.of("Alan Turing"), names(data(a.request("user.search", "s11",
                        obj().put("displayNamePrefix", "al")))));
                assertEquals("albert", data(a.request("user.find", "f8", obj().put("username", "albert")))
                        .path("user").path("username").asText());
                // a user who blocked the caller is not found by them
                data(t.request("block.add", "b1", obj().put("userId", alice.path("userId").asText())));
                assertError(a.request("user.find", "f9", obj().put("username", "alan")), "NOT_FOUND", "NO_SUCH_USER");
                assertEquals(List.of(), names(data(a.request("user.search", "s12",
                        obj().put("displayNamePrefix", "al")))));
            }
        }
    }

    @Test
    public void lookUpsAreRateLimitedPerUser() throws Exception {
        try (ReferenceServer server = serverWithASecondCarrier()) {
            HttpTestClient dev = HttpTestClient.dev(server);
            JsonNode alice = signUp(dev, "alice", "Alice");
            JsonNode bob = signUp(dev, "bob", "Bob");
            try (WsTestClient a = connect(server, alice, "dev-key", "dev-secret");
                    WsTestClient b = connect(server, bob, "dev-key", "dev-secret")) {
                // 30 look-ups a minute, by username and by display name together
                for (int i = 0; i < 30; i++) {
                    JsonNode r = i % 2 == 0 ? a.request("user.find", "f" + i, obj().put("username", "bob"))
                            : a.request("user.search", "f" + i, obj().put("displayNamePrefix", "bo"));
                    assertFalse(r.toString(), r.has("error"));
                }
                JsonNode refused = a.request("user.find", "over", obj().put("username", "bob"));
                assertError(refused, "RATE_LIMITED", "LOOKUP_LIMIT");
                assertTrue(refused.toString(), refused.path("error").path("retryAfterMs").asLong() > 0);
                // per user: bob is not limited by alice's look-ups
                assertFalse(b.request("user.find", "b1", obj().put("username", "alice")).has("error"));
            }
        }
    }

    @Test
    public void aNumberVerifiedAfterSignUpIsAttachedFoundByMatchingAndRemoved() throws Exception {
        try (ReferenceServer server = serverWithASecondCarrier()) {
            HttpTestClient dev = HttpTestClient.dev(server);
            HttpTestClient example = new HttpTestClient(server.httpUri(), "example-key", "example-secret");
            JsonNode alice = signUp(dev, "alice", "Alice");
            JsonNode bob = signUp(dev, "bob", "Bob");
            JsonNode erin = signUp(example, "erin", "Erin");
            try (WsTestClient a = connect(server, alice, "dev-key", "dev-secret");
                    WsTestClient b = connect(server, bob, "dev-key", "dev-secret");
                    WsTestClient e = connect(server, erin, "example-key", "example-secret")) {
                ObjectNode match = obj();
                match.putArray("numbers").add("+447400123456");
                assertEquals(0, data(a.request("contact.match", "m1", match)).path("matches").size());
                assertEquals(0, data(b.request("phone.list", "l0", obj())).path("phoneNumbers").size());

                String proof = verify(dev, "+447400123456");
                // a proof of another application is refused (and not used up)
                assertError(e.request("phone.attach", "x1", obj().put("proof", proof)), "INVALID_ARGUMENT",
                        "PROOF_INVALID");
                JsonNode attached = data(b.request("phone.attach", "p1", obj().put("proof", proof)));
                assertEquals("+447400123456", attached.path("phoneNumber").asText());
                // single use
                assertError(a.request("phone.attach", "p2", obj().put("proof", proof)), "INVALID_ARGUMENT",
                        "PROOF_INVALID");
                assertError(a.request("phone.attach", "p3", obj().put("proof", "no-such-proof")), "INVALID_ARGUMENT",
                        "PROOF_INVALID");
                assertError(a.request("phone.attach", "p4", obj()), "INVALID_ARGUMENT", "MISSING_FIELD");
                assertEquals("[\"+447400123456\"]", data(b.request("phone.list", "l1", obj())).path("phoneNumbers")
                        .toString());

                JsonNode matches = data(a.request("contact.match", "m2", match)).path("matches");
                assertEquals(matches.toString(), 1, matches.size());
                assertEquals(bob.path("userId").asText(), matches.get(0).path("userId").asText());
                // another carrier's matching does not find bob's number
                assertEquals(0, data(e.request("contact.match", "m3", match)).path("matches").size());

                // removal: only one's own numbers
                assertError(a.request("phone.remove", "r1", obj().put("phoneNumber", "+447400123456")), "NOT_FOUND",
                        "NO_SUCH_NUMBER");
                assertError(b.request("phone.remove", "r2", obj().put("phoneNumber", "07400 123456")),
                        "INVALID_ARGUMENT", "INVALID_NUMBER");
                assertTrue(data(b.request("phone.remove", "r3", obj().put("phoneNumber", "+447400123456")))
                        .path("removed").asBoolean());
                assertEquals(0, data(b.request("phone.list", "l2", obj())).path("phoneNumbers").size());
                assertEquals(0, data(a.request("contact.match", "m4", match)).path("matches").size());
                assertError(b.request("phone.remove", "r4", obj().put("phoneNumber", "+447400123456")), "NOT_FOUND",
                        "NO_SUCH_NUMBER");
            }
        }
    }

    private static List<String> names(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.path("users").forEach(u -> names.add(u.path("displayName").asText()));
        return names;
    }
}
