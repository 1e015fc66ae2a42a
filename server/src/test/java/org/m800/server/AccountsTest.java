package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Rule;
import org.junit.Test;

/** Sign up, log in, refresh, log out and profiles over the real HTTP and WebSocket endpoints. */
public class AccountsTest {
    @Rule
    public final TestServer server = new TestServer();

    private HttpTestClient http() {
        return HttpTestClient.dev(server.server());
    }

    @Test
    public void healthAnswers200WhenReady() throws Exception {
        HttpTestClient.Answer a = http().unsigned("GET", "/health");
        assertEquals(200, a.status());
        assertEquals("UP", a.body().path("status").asText());
    }

    @Test
    public void signUpLogInRefreshLogOut() throws Exception {
        HttpTestClient http = http();
        JsonNode signUp = http.signUp("alice", "correct horse");
        assertEquals(43, signUp.path("accessToken").asText().length());
        assertEquals(43, signUp.path("refreshToken").asText().length());
        assertTrue(signUp.path("accessTokenExpiresAt").asLong() > System.currentTimeMillis());
        assertTrue(signUp.path("refreshTokenExpiresAt").asLong() > signUp.path("accessTokenExpiresAt").asLong());
        assertEquals("alice", signUp.path("profile").path("username").asText());
        assertEquals("dev.m800", signUp.path("profile").path("carrier").asText());
        String userId = signUp.path("userId").asText();

        HttpTestClient.Answer login = http.logIn("alice", "correct horse");
        assertEquals(200, login.status());
        assertEquals(userId, login.body().path("userId").asText());
        assertNotEquals(signUp.path("sessionId").asText(), login.body().path("sessionId").asText());

        String oldAccess = login.body().path("accessToken").asText();
        String oldRefresh = login.body().path("refreshToken").asText();
        HttpTestClient.Answer refreshed = http.post("/v1/accounts/refresh",
                HttpTestClient.JSON.createObjectNode().put("refreshToken", oldRefresh));
        assertEquals(200, refreshed.status());
        assertEquals(login.body().path("sessionId").asText(), refreshed.body().path("sessionId").asText());
        String access = refreshed.body().path("accessToken").asText();
        assertNotEquals(oldAccess, access);

        HttpTestClient.Answer stale = http.get("/v1/accounts/profile", oldAccess);
        assertEquals(401, stale.status());
        assertEquals("TOKEN_INVALID", stale.errorReason());
        // the answer may not have reached the client: the old refresh token works again while its successor
        // is unused, and that successor (which the client never got) stops working
        HttpTestClient.Answer again = refresh(http, oldRefresh);
        assertEquals(200, again.status());
        assertEquals(login.body().path("sessionId").asText(), again.body().path("sessionId").asText());
        assertEquals("TOKEN_INVALID", refresh(http, refreshed.body().path("refreshToken").asText()).errorReason());
        assertEquals(401, http.get("/v1/accounts/profile", access).status());
        // once a successor is used, the older token is refused
        HttpTestClient.Answer next = refresh(http, again.body().path("refreshToken").asText());
        assertEquals(200, next.status());
        HttpTestClient.Answer reused = refresh(http, oldRefresh);
        assertEquals("UNAUTHORIZED", reused.errorCode());
        assertEquals("TOKEN_INVALID", reused.errorReason());
        access = next.body().path("accessToken").asText();

        HttpTestClient.Answer profile = http.get("/v1/accounts/profile", access);
        assertEquals(200, profile.status());
        assertEquals("alice", profile.body().path("displayName").asText());

        HttpTestClient.Answer logout = http.post("/v1/accounts/logout", null, access, null);
        assertEquals(200, logout.status());
        assertTrue(logout.body().path("loggedOut").asBoolean());
        assertEquals(401, http.get("/v1/accounts/profile", access).status());
        assertEquals(401, http.post("/v1/accounts/logout", null, access, null).status());
        // the sign-up session is still valid
        assertEquals(200, http.get("/v1/accounts/profile", signUp.path("accessToken").asText()).status());
    }

    private static HttpTestClient.Answer refresh(HttpTestClient http, String refreshToken) throws Exception {
        return http.post("/v1/accounts/refresh", HttpTestClient.JSON.createObjectNode().put("refreshToken", refreshToken));
    }

    @Test
    public void aRefreshRepeatedWhileTheFirstRunsKeepsTheSessionAlive() throws Exception {
        // a client that gave up waiting asks again with the same token while the server still runs the first
        HttpTestClient http = http();
        String token = http.signUp("rene", "password1").path("refreshToken").asText();
        for (int round = 0; round < 10; round++) {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            String from = token;
            java.util.concurrent.CompletableFuture<HttpTestClient.Answer> first = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> refreshTogether(http, from, together));
            HttpTestClient.Answer second = refreshTogether(http, from, together);
            assertEquals(second.body().toString(), 200, second.status());
            assertEquals(first.get().body().toString(), 200, first.get().status());
            // the later rotation's token is live, the other one is not; the session goes on with it
            HttpTestClient.Answer viaFirst = refresh(http, first.get().body().path("refreshToken").asText());
            HttpTestClient.Answer next = viaFirst.status() == 200 ? viaFirst
                    : refresh(http, second.body().path("refreshToken").asText());
            assertEquals(next.body().toString(), 200, next.status());
            token = next.body().path("refreshToken").asText();
        }
    }

    private static HttpTestClient.Answer refreshTogether(HttpTestClient http, String token,
            java.util.concurrent.CyclicBarrier together) {
        try {
            together.await(10, java.util.concurrent.TimeUnit.SECONDS);
            return refresh(http, token);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    public void logOutByRefreshToken() throws Exception {
        JsonNode s = http().signUp("rita", "password1");
        HttpTestClient.Answer a = http().post("/v1/accounts/logout",
                HttpTestClient.JSON.createObjectNode().put("refreshToken", s.path("refreshToken").asText()));
        assertEquals(200, a.status());
        assertEquals(401, http().get("/v1/accounts/profile", s.path("accessToken").asText()).status());

        // a client that lost the answer of its refresh can still log out with the token it has
        HttpTestClient http = http();
        JsonNode t = http.signUp("rosa", "password1");
        String lostAccess = refresh(http, t.path("refreshToken").asText()).body().path("accessToken").asText();
        HttpTestClient.Answer b = http.post("/v1/accounts/logout",
                HttpTestClient.JSON.createObjectNode().put("refreshToken", t.path("refreshToken").asText()));
        assertEquals(200, b.status());
        assertEquals(401, http.get("/v1/accounts/profile", lostAccess).status());
    }

    @Test
    public void logOutEverywhereRevokesEverySessionOfTheUserAndClosesItsConnections() throws Exception {
        HttpTestClient http = http();
        JsonNode first = http.signUp("dora", "dora's password");
        JsonNode second = http.logIn("dora", "dora's password").body();
        JsonNode other = http.signUp("eddie", "eddie's password");
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), second.path("accessToken").asText(), null)) {
            HttpTestClient.Answer all = http.post("/v1/accounts/logout-all", null,
                    first.path("accessToken").asText(), null);
            assertEquals(200, all.status());
            assertEquals(2, all.body().path("sessions").asInt());
            assertEquals(4001, ws.awaitClose().code());
        }
        for (JsonNode s : new JsonNode[] {first, second}) {
            assertEquals(401, http.get("/v1/accounts/profile", s.path("accessToken").asText()).status());
            assertEquals(401, http.post("/v1/accounts/refresh", HttpTestClient.JSON.createObjectNode()
                    .put("refreshToken", s.path("refreshToken").asText())).status());
        }
        // another user is not affected; without a token nothing happens
        assertEquals(200, http.get("/v1/accounts/profile", other.path("accessToken").asText()).status());
        assertEquals(401, http.post("/v1/accounts/logout-all", null, null, null).status());
    }

    @Test
    public void wrongPasswordIsUnauthorizedThenRateLimited() throws Exception {
        HttpTestClient http = http();
        http.signUp("bob", "the password");
        for (int i = 0; i < 5; i++) {
            HttpTestClient.Answer a = http.logIn("bob", "not the password");
            assertEquals(401, a.status());
            assertEquals("UNAUTHORIZED", a.errorCode());
            assertEquals("BAD_CREDENTIALS", a.errorReason());
        }
        HttpTestClient.Answer limited = http.logIn("bob", "the password");
        assertEquals(429, limited.status());
        assertEquals("RATE_LIMITED", limited.errorCode());
        assertEquals("LOGIN_ATTEMPTS", limited.errorReason());
        assertTrue(limited.body().path("error").path("retryAfterMs").asLong() > 0);
        // other accounts are not affected
        http.signUp("carol", "carol's password");
        assertEquals(200, http.logIn("carol", "carol's password").status());
        assertEquals("BAD_CREDENTIALS", http.logIn("nobody", "whatever1").errorReason());
    }

    @Test
    public void badSignUpInputIsRefusedWithTheField() throws Exception {
        HttpTestClient http = http();
        HttpTestClient.Answer shortPassword = http.post("/v1/accounts/signup",
                HttpTestClient.JSON.createObjectNode().put("username", "dave").put("password", "short"));
        assertEquals(400, shortPassword.status());
        assertEquals("INVALID_ARGUMENT", shortPassword.errorCode());
        assertEquals("password", shortPassword.body().path("error").path("details").path("field").asText());
        HttpTestClient.Answer badName = http.post("/v1/accounts/signup",
                HttpTestClient.JSON.createObjectNode().put("username", "Dave!").put("password", "long enough"));
        assertEquals("username", badName.body().path("error").path("details").path("field").asText());
        HttpTestClient.Answer missing = http.post("/v1/accounts/signup", "{}");
        assertEquals("MISSING_FIELD", missing.errorReason());
        HttpTestClient.Answer malformed = http.post("/v1/accounts/signup", "{\"username\":");
        assertEquals("PROTOCOL", malformed.errorCode());
        assertEquals("MALFORMED_JSON", malformed.errorReason());
        HttpTestClient.Answer big = http.post("/v1/accounts/signup", "{\"username\":\"" + "x".repeat(70_000) + "\"}");
        assertEquals(413, big.status());
        http.signUp("dave", "long enough");
        HttpTestClient.Answer taken = http.post("/v1/accounts/signup",
                HttpTestClient.JSON.createObjectNode().put("username", "dave").put("password", "long enough"));
        assertEquals(409, taken.status());
        assertEquals("USERNAME_TAKEN", taken.errorReason());
        assertEquals("NO_SUCH_PATH", http.post("/v1/accounts/nothing", "{}").errorReason());
        assertEquals("UNSUPPORTED_VERSION", http.post("/v2/accounts/login", "{}").errorReason());
    }

    @Test
    public void aTooLargeBodyAlwaysGetsItsAnswer() throws Exception {
        HttpTestClient http = http();
        // the server answers before reading such a body; closing with the rest unread reset the
        // connection, and the client lost the 413 now and then
        for (int i = 0; i < 20; i++) {
            HttpTestClient.Answer big = http.post("/v1/accounts/signup",
                    "{\"username\":\"" + "x".repeat(200_000 + i) + "\"}");
            assertEquals(413, big.status());
            assertEquals("TOO_LARGE", big.errorReason());
        }
        // the server goes on (signUp asserts success)
        http.signUp("frank", "long enough");
    }

    @Test
    public void repeatedRequestIdGetsTheOriginalAnswer() throws Exception {
        HttpTestClient http = http();
        ObjectNode body = HttpTestClient.JSON.createObjectNode().put("username", "erin").put("password", "long enough");
        HttpTestClient.Answer first = http.post("/v1/accounts/signup", body, null, "signup-erin-1");
        HttpTestClient.Answer again = http.post("/v1/accounts/signup", body, null, "signup-erin-1");
        assertEquals(200, first.status());
        assertEquals(first, again);
        HttpTestClient.Answer other = http.post("/v1/accounts/signup", body, null, "signup-erin-2");
        assertEquals("USERNAME_TAKEN", other.errorReason());
        HttpTestClient.Answer reused = http.post("/v1/accounts/login", body, null, "signup-erin-1");
        assertEquals(409, reused.status());
        assertEquals("REQUEST_ID_REUSED", reused.errorReason());
    }

    @Test
    public void profileOverWebSocket() throws Exception {
        JsonNode s = http().signUp("frank", "long enough");
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), s.path("accessToken").asText(), null)) {
            JsonNode got = ws.request("profile.get", "p1", null);
            assertEquals("frank", got.path("data").path("username").asText());
            ObjectNode update = HttpTestClient.JSON.createObjectNode().put("displayName", "Frank F.")
                    .put("statusMessage", "here");
            JsonNode updated = ws.request("profile.update", "p2", update);
            assertEquals("Frank F.", updated.path("data").path("displayName").asText());
            assertEquals("here", updated.path("data").path("statusMessage").asText());
            JsonNode event = ws.nextEvent();
            assertEquals("profile.updated", event.path("event").asText());
            assertEquals(1, event.path("seq").asLong());
            assertEquals("Frank F.", ws.request("profile.get", "p3", null).path("data").path("displayName").asText());
            JsonNode tooLong = ws.request("profile.update", "p4",
                    HttpTestClient.JSON.createObjectNode().put("displayName", "x".repeat(101)));
            assertEquals("INVALID_ARGUMENT", tooLong.path("error").path("code").asText());
            assertEquals("TOO_LONG", tooLong.path("error").path("reason").asText());
            JsonNode empty = ws.request("profile.update", "p5", HttpTestClient.JSON.createObjectNode());
            assertEquals("MISSING_FIELD", empty.path("error").path("reason").asText());
        }
    }

    @Test
    public void logOutClosesTheSessionsConnections() throws Exception {
        JsonNode s = http().signUp("gina", "long enough");
        String access = s.path("accessToken").asText();
        try (WsTestClient ws = WsTestClient.loggedIn(server.server(), access, null)) {
            assertEquals(200, http().post("/v1/accounts/logout", null, access, null).status());
            WsTestClient.Closed closed = ws.awaitClose();
            assertEquals(4001, closed.code());
            assertEquals("logged out", closed.reason());
        }
    }
}
