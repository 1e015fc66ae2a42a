package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Test;

/**
 * Configurable abuse limits (issue 17 item 9): connections per user and groups created per user, each
 * with its error; other users are not affected.
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
            for (int attempt = 0; attempt < 100 && again == null; attempt++) {
                // the server learns of the close asynchronously: retry until it has
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
}
