package org.m800.server.verification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Test;
import org.m800.server.testing.TestClock;
import org.m800.server.ApplicationRegistration;
import org.m800.server.ReferenceServer;
import org.m800.server.VerificationSettings;

/**
 * Phone-number verification on the real server over HTTP: each method, proofs for sign-up, every
 * refusal with its own reason, rate limits, brute force, the gateway provider and configuration.
 */
public class VerificationServerTest {
    private static final String MOBILE = "+447400123456";
    private static final String FIXED = "+441212345678";

    private final TestClock clock = TestClock.system();
    private final String db = "jdbc:h2:mem:verification-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private ReferenceServer server;
    private HttpServer gateway;

    private VerificationHttp start(ApplicationRegistration... apps) throws IOException {
        ReferenceServer.Builder b = ReferenceServer.builder().port(0).jdbcUrl(db).clock(clock).developmentOutbox(true);
        for (ApplicationRegistration a : apps) {
            b.application(a);
        }
        server = b.build().start();
        return dev();
    }

    private VerificationHttp dev() {
        return new VerificationHttp(server.httpUri(), "dev-key", "dev-secret", clock);
    }

    private VerificationHttp as(ApplicationRegistration app) {
        return new VerificationHttp(server.httpUri(), app.applicationKey(), app.applicationSecret(), clock);
    }

    private static ApplicationRegistration app(String key, VerificationSettings settings) {
        return new ApplicationRegistration("dev.m800", "org.m800.test", key, key + "-secret", "dev-developer", settings);
    }

    @After
    public void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        if (gateway != null) {
            gateway.stop(0);
        }
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    private <T> T sql(String query, Class<T> type) throws Exception {
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            assertTrue(query, r.next());
            return r.getObject(1, type);
        }
    }

    private static void assertError(VerificationHttp.Answer a, int status, String code, String reason,
            String messagePart) {
        assertEquals(a.toString(), status, a.status());
        assertEquals(a.toString(), code, a.code());
        assertEquals(a.toString(), reason, a.reason());
        assertTrue(a.toString(), a.message().contains(messagePart));
    }

    @Test
    public void smsCodeVerifiesAndItsProofSignsUpOnce() throws Exception {
        ApplicationRegistration strict = app("strict-key", VerificationSettings.builder().requiredForSignUp(true).build());
        start(strict);
        VerificationHttp http = as(strict);

        assertError(http.signUp("alice", null), 401, "UNAUTHORIZED", "VERIFICATION_REQUIRED", "verified phone number");

        JsonNode s = http.start("+44 7400 123456", "SMS").ok();
        String id = s.path("sessionId").asText();
        assertEquals(MOBILE, s.path("phoneNumber").asText());
        assertEquals("PENDING", s.path("status").asText());
        assertEquals("DELIVERED", s.path("delivery").asText());
        assertEquals(6, s.path("codeLength").asInt());
        assertEquals(5, s.path("attemptsLeft").asInt());
        long lifetime = s.path("expiresAt").asLong() - s.path("serverTime").asLong();
        assertTrue(String.valueOf(lifetime), lifetime > 590_000 && lifetime <= 600_000);
        JsonNode delivery = http.delivery(id);
        assertEquals(MOBILE, delivery.path("phoneNumber").asText());
        assertEquals("SMS", delivery.path("method").asText());
        String code = delivery.path("code").asText();
        assertTrue(code, code.matches("[0-9]{6}"));
        assertTrue(delivery.path("message").asText().contains(code));

        // the code is stored only hashed
        String stored = sql("SELECT code_hash FROM verification_sessions WHERE id = '" + id + "'", String.class);
        assertFalse(stored.contains(code));
        assertEquals(64, stored.length());

        String wrong = code.equals("000000") ? "111111" : "000000";
        VerificationHttp.Answer bad = http.check(id, wrong);
        assertError(bad, 401, "UNAUTHORIZED", "WRONG_CODE", "4 attempts left");

        JsonNode ok = http.check(id, code).ok();
        assertEquals("VERIFIED", ok.path("status").asText());
        String proof = ok.path("proof").asText();
        assertEquals(43, proof.length());
        assertError(http.check(id, code), 409, "CONFLICT", "ALREADY_VERIFIED", "already verified");

        assertError(dev().signUp("alice", proof), 401, "UNAUTHORIZED", "PROOF_INVALID", "unknown");
        assertEquals(200, http.signUp("alice", proof).status());
        assertError(http.signUp("bob", proof), 401, "UNAUTHORIZED", "PROOF_INVALID", "already used");
        String account = sql("SELECT account_id FROM verification_proofs", String.class);
        assertTrue(account, account.startsWith("u-"));
        // an application without the policy signs up without a proof
        assertEquals(200, dev().signUp("carol", null).status());
    }

    @Test
    public void voiceCallAcceptsAFixedLineAndFlashCallsEndWithTheCode() throws Exception {
        VerificationHttp http = start();
        JsonNode voice = http.start(FIXED, "VOICE_CALL").ok();
        JsonNode voiceDelivery = http.delivery(voice.path("sessionId").asText());
        assertEquals("VOICE_CALL", voiceDelivery.path("method").asText());
        String voiceCode = voiceDelivery.path("code").asText();
        assertTrue(voiceDelivery.path("message").asText().startsWith("Your verification code is " + voiceCode.charAt(0)));
        assertEquals("VERIFIED", http.check(voice.path("sessionId").asText(), voiceCode).ok().path("status").asText());

        JsonNode flash = http.start(MOBILE, "FLASH_CALL").ok();
        assertEquals("+1800555", flash.path("callerPrefix").asText());
        JsonNode d = http.delivery(flash.path("sessionId").asText());
        String caller = d.path("callerNumber").asText();
        assertEquals("+1800555" + d.path("code").asText(), caller);
        String lastDigits = caller.substring(caller.length() - flash.path("codeLength").asInt());
        assertFalse(http.check(flash.path("sessionId").asText(), lastDigits).ok().path("proof").asText().isEmpty());
    }

    @Test
    public void sixthAttemptOnALockedSessionIsRefusedEvenWithTheRightCode() throws Exception {
        VerificationHttp http = start();
        String id = http.start(MOBILE, "SMS").ok().path("sessionId").asText();
        String code = http.code(id);
        int tried = 0;
        for (int guess = 0; tried < 5; guess++) {
            String g = String.format("%06d", guess);
            if (g.equals(code)) {
                continue;
            }
            tried++;
            VerificationHttp.Answer a = http.check(id, g);
            assertError(a, 401, "UNAUTHORIZED", "WRONG_CODE", tried == 5 ? "no attempts left" : (5 - tried) + " attempt");
        }
        assertError(http.check(id, code), 409, "CONFLICT", "SESSION_LOCKED", "too many wrong codes");
        assertEquals("LOCKED", http.session("status", id).ok().path("status").asText());
        assertEquals(5, (int) sql("SELECT attempts FROM verification_sessions", Integer.class));
    }

    @Test
    public void expiredCodeIsRefused() throws Exception {
        VerificationHttp http = start();
        String id = http.start(MOBILE, "SMS").ok().path("sessionId").asText();
        String code = http.code(id);
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertError(http.check(id, code), 409, "CONFLICT", "SESSION_EXPIRED", "expired");
        assertEquals("EXPIRED", http.session("status", id).ok().path("status").asText());
        assertError(http.session("resend", id), 409, "CONFLICT", "SESSION_EXPIRED", "expired");
    }

    @Test
    public void resendInsideTheCooldownIsRateLimitedAndAfterItSendsANewCode() throws Exception {
        VerificationHttp http = start();
        String id = http.start(MOBILE, "SMS").ok().path("sessionId").asText();
        String first = http.code(id);
        VerificationHttp.Answer early = http.session("resend", id);
        assertError(early, 429, "RATE_LIMITED", "RESEND_COOLDOWN", "less than 30 s ago");
        long retry = early.body().path("error").path("retryAfterMs").asLong();
        assertTrue(retry > 0 && retry <= 30_000);
        clock.advance(Duration.ofSeconds(30));
        JsonNode resent = http.session("resend", id).ok();
        assertEquals(2, resent.path("resendsLeft").asInt());
        String second = http.code(id);
        if (!second.equals(first)) {
            assertError(http.check(id, first), 401, "UNAUTHORIZED", "WRONG_CODE", "4 attempts left");
        }
        assertEquals("VERIFIED", http.check(id, second).ok().path("status").asText());
    }

    @Test
    public void rateLimitsPerNumberPerAddressAndPerApplication() throws Exception {
        ApplicationRegistration perNumber = app("number-key", VerificationSettings.builder().maxSendsPerNumber(2).build());
        ApplicationRegistration perAddress = app("address-key", VerificationSettings.builder().maxStartsPerAddress(2).build());
        ApplicationRegistration perApp = app("app-key", VerificationSettings.builder().maxStartsPerApplication(2)
                .maxStartsPerAddress(100).build());
        start(perNumber, perAddress, perApp);

        VerificationHttp n = as(perNumber);
        n.start("+447400000001", "SMS").ok();
        n.start("+447400000001", "SMS").ok();
        VerificationHttp.Answer hit = n.start("+447400000001", "SMS");
        assertError(hit, 429, "RATE_LIMITED", "NUMBER_LIMIT", "too many codes were sent to this number");
        assertTrue(hit.body().path("error").path("retryAfterMs").asLong() > 0);
        n.start("+447400000002", "SMS").ok();
        clock.advance(Duration.ofHours(1));
        n.start("+447400000001", "SMS").ok();

        VerificationHttp a = as(perAddress);
        clock.advance(Duration.ofHours(1));
        a.start("+447400000003", "SMS").ok();
        a.start("+447400000004", "SMS").ok();
        assertError(a.start("+447400000005", "SMS"), 429, "RATE_LIMITED", "ADDRESS_LIMIT", "from this address");

        VerificationHttp p = as(perApp);
        clock.advance(Duration.ofHours(1));
        p.start("+447400000006", "SMS").ok();
        p.start("+447400000007", "SMS").ok();
        assertError(p.start("+447400000008", "SMS"), 429, "RATE_LIMITED", "APPLICATION_LIMIT", "application started");
    }

    @Test
    public void resendsCountAgainstTheAddressAndTheApplicationLimits() throws Exception {
        ApplicationRegistration perAddress = app("address-key", VerificationSettings.builder().maxStartsPerAddress(2)
                .build());
        ApplicationRegistration perApp = app("app-key", VerificationSettings.builder().maxStartsPerApplication(2)
                .maxStartsPerAddress(100).build());
        start(perAddress, perApp);
        VerificationHttp a = as(perAddress);
        String id = a.start("+447400000003", "SMS").ok().path("sessionId").asText();
        clock.advance(Duration.ofSeconds(30));
        a.session("resend", id).ok();
        clock.advance(Duration.ofSeconds(30));
        assertError(a.session("resend", id), 429, "RATE_LIMITED", "ADDRESS_LIMIT", "from this address");

        clock.advance(Duration.ofHours(1));
        VerificationHttp p = as(perApp);
        String other = p.start("+447400000006", "SMS").ok().path("sessionId").asText();
        clock.advance(Duration.ofSeconds(30));
        p.session("resend", other).ok();
        clock.advance(Duration.ofSeconds(30));
        assertError(p.session("resend", other), 429, "RATE_LIMITED", "APPLICATION_LIMIT", "application");
        assertError(p.start("+447400000007", "SMS"), 429, "RATE_LIMITED", "APPLICATION_LIMIT", "application");
    }

    @Test
    public void aSixDigitCodeCannotBeBruteForcedWithinTheLimits() throws Exception {
        VerificationHttp http = start();
        int sessions = 0;
        int guesses = 0;
        int next = 0;
        while (true) {
            VerificationHttp.Answer started = http.start(MOBILE, "SMS");
            if (started.status() == 429) {
                assertEquals("NUMBER_LIMIT", started.reason());
                break;
            }
            sessions++;
            assertTrue("the number limit never stopped the attacker", sessions <= 5);
            String id = started.ok().path("sessionId").asText();
            String real = http.code(id);
            for (int i = 0; i < 10; i++) {
                String g = String.format("%06d", next++);
                if (g.equals(real)) {
                    g = String.format("%06d", next++);
                }
                VerificationHttp.Answer a = http.check(id, g);
                if (a.status() == 409) {
                    assertEquals("SESSION_LOCKED", a.reason());
                    break;
                }
                assertEquals("WRONG_CODE", a.reason());
                guesses++;
            }
        }
        // the server's state: every session locked after 5 attempts, none verified, no proof
        int attempts = sql("SELECT SUM(attempts) FROM verification_sessions WHERE phone = '" + MOBILE + "'", Integer.class);
        assertEquals(guesses, attempts);
        assertEquals(25, attempts);
        assertEquals(5L, (long) sql("SELECT COUNT(*) FROM verification_sessions WHERE status = 'LOCKED'", Long.class));
        assertEquals(0L, (long) sql("SELECT COUNT(*) FROM verification_sessions WHERE status = 'VERIFIED'", Long.class));
        assertEquals(0L, (long) sql("SELECT COUNT(*) FROM verification_proofs", Long.class));
        // 25 guesses per number and hour against 10^6 codes: a chance of 1 in 40 000 per hour
        assertTrue(attempts / 1e6 <= 25 / 1e6);
    }

    @Test
    public void invalidAndUnsupportedNumbersSayWhy() throws Exception {
        ApplicationRegistration hk = app("hk-key", VerificationSettings.builder().regions(java.util.Set.of("HK"))
                .methods(java.util.Set.of(VerificationSettings.Method.SMS)).build());
        VerificationHttp http = start(hk);
        assertError(http.start("+4474001", "SMS"), 400, "INVALID_ARGUMENT", "INVALID_NUMBER", "too short");
        assertError(http.start("+447400123456789", "SMS"), 400, "INVALID_ARGUMENT", "INVALID_NUMBER", "too long");
        assertError(http.start("+441000000000", "SMS"), 400, "INVALID_ARGUMENT", "INVALID_NUMBER", "not valid for region GB");
        assertError(http.start("+99912345678", "SMS"), 400, "INVALID_ARGUMENT", "INVALID_NUMBER", "unknown country code");
        assertError(http.start("07400123456", "SMS"), 400, "INVALID_ARGUMENT", "INVALID_NUMBER", "international form");
        assertError(http.start("+44abc", "SMS"), 400, "INVALID_ARGUMENT", "INVALID_NUMBER", "");
        assertError(http.start(FIXED, "SMS"), 400, "INVALID_ARGUMENT", "UNSUPPORTED_NUMBER", "not a mobile number");
        assertError(http.start(FIXED, "FLASH_CALL"), 400, "INVALID_ARGUMENT", "UNSUPPORTED_NUMBER", "not a mobile number");
        assertError(http.start(MOBILE, "PIGEON"), 400, "INVALID_ARGUMENT", "BAD_FIELD", "method must be");
        VerificationHttp h = as(hk);
        assertError(h.start(MOBILE, "SMS"), 400, "INVALID_ARGUMENT", "UNSUPPORTED_NUMBER", "region GB are not served");
        assertError(h.start("+85251234567", "VOICE_CALL"), 400, "INVALID_ARGUMENT", "UNSUPPORTED_METHOD", "not offered");
        assertEquals("+85251234567", h.start("+852 5123 4567", "SMS").ok().path("phoneNumber").asText());
        assertEquals(1L, (long) sql("SELECT COUNT(*) FROM verification_sessions", Long.class));
    }

    @Test
    public void unknownCancelledAndForeignSessions() throws Exception {
        ApplicationRegistration other = app("other-key", VerificationSettings.DEFAULTS);
        VerificationHttp http = start(other);
        assertError(http.session("status", "v-nosuchsession"), 404, "NOT_FOUND", "NO_SUCH_SESSION", "no such");
        assertError(http.check("v-nosuchsession", "123456"), 404, "NOT_FOUND", "NO_SUCH_SESSION", "no such");
        String id = http.start(MOBILE, "SMS").ok().path("sessionId").asText();
        String code = http.code(id);
        assertError(as(other).check(id, code), 404, "NOT_FOUND", "NO_SUCH_SESSION", "no such");
        assertError(http.check(id, "12345"), 400, "INVALID_ARGUMENT", "BAD_FIELD", "6 digits");
        assertEquals("CANCELLED", http.session("cancel", id).ok().path("status").asText());
        assertEquals("CANCELLED", http.session("cancel", id).ok().path("status").asText());
        assertError(http.check(id, code), 409, "CONFLICT", "SESSION_CANCELLED", "cancelled");
        assertError(http.session("resend", id), 409, "CONFLICT", "SESSION_CANCELLED", "cancelled");
    }

    @Test
    public void aRepeatedRequestIdStartsOneSession() throws Exception {
        VerificationHttp http = start();
        var body = VerificationHttp.JSON.createObjectNode().put("phoneNumber", MOBILE);
        JsonNode first = http.post("/v1/verification/start", body, "start-1").ok();
        JsonNode again = http.post("/v1/verification/start", body, "start-1").ok();
        assertEquals(first.path("sessionId"), again.path("sessionId"));
        assertEquals(1L, (long) sql("SELECT COUNT(*) FROM verification_sends", Long.class));
        assertEquals("SMS", first.path("method").asText());
    }

    @Test
    public void gatewayProviderPostsTheTemplateWithCredentials() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        int[] status = {202};
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/sms", exchange -> {
            received.add(Map.of("method", exchange.getRequestMethod(),
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "apiKey", String.valueOf(exchange.getRequestHeaders().getFirst("X-Api-Key")),
                    "contentType", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                    "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        gateway.start();
        Path apps = Files.createTempFile("apps", ".json");
        try {
            Files.writeString(apps, """
                    {"applications": [{"carrier": "dev.m800", "applicationIdentifier": "com.example.gw",
                      "applicationKey": "gw-key", "applicationSecret": "gw-secret", "developerKey": "gw-dev",
                      "verification": {"codeLength": 8, "resendCooldownMs": 1000, "gateway": {
                        "url": "http://127.0.0.1:%d/sms", "username": "acme", "password": "s3cret",
                        "headers": {"X-Api-Key": "key-for-{{method}}"},
                        "bodyTemplate": "{\\"to\\":\\"{{to}}\\",\\"text\\":\\"{{message}}\\",\\"code\\":\\"{{code}}\\"}"}}}]}
                    """.formatted(gateway.getAddress().getPort()));
            server = ReferenceServer.builder().port(0).jdbcUrl(db).clock(clock).developmentOutbox(true).applicationsFile(apps).build().start();
        } finally {
            Files.delete(apps);
        }
        ApplicationRegistration gw = server.applications().stream().filter(a -> a.applicationKey().equals("gw-key"))
                .findFirst().orElseThrow();
        assertEquals(8, gw.verification().codeLength());
        assertFalse(gw.toString().contains("s3cret"));
        assertFalse(gw.verification().toString().contains("s3cret"));
        VerificationHttp http = new VerificationHttp(server.httpUri(), "gw-key", "gw-secret", clock);

        JsonNode s = http.start(MOBILE, "SMS").ok();
        assertEquals("SENT", s.path("delivery").asText());
        assertEquals(1, received.size());
        Map<String, String> r = received.get(0);
        assertEquals("POST", r.get("method"));
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("acme:s3cret".getBytes(StandardCharsets.UTF_8)),
                r.get("authorization"));
        assertEquals("key-for-SMS", r.get("apiKey"));
        assertEquals("application/json", r.get("contentType"));
        JsonNode body = VerificationHttp.JSON.readTree(r.get("body"));
        assertEquals(MOBILE, body.path("to").asText());
        String code = body.path("code").asText();
        assertTrue(code.matches("[0-9]{8}"));
        assertTrue(body.path("text").asText().contains(code));
        assertEquals(0, http.post("/v1/verification/outbox", VerificationHttp.JSON.createObjectNode()).ok()
                .path("deliveries").size());

        // a refusing gateway: the session reports FAILED and may be resent at once
        status[0] = 500;
        JsonNode failed = http.start("+447400123457", "SMS").ok();
        assertEquals("FAILED", failed.path("delivery").asText());
        status[0] = 200;
        JsonNode resent = http.session("resend", failed.path("sessionId").asText()).ok();
        assertEquals("SENT", resent.path("delivery").asText());
        String resentCode = VerificationHttp.JSON.readTree(received.get(2).get("body")).path("code").asText();
        assertNotNull(http.check(failed.path("sessionId").asText(), resentCode).ok().path("proof").asText(null));
    }

    @Test
    public void badVerificationSettingsInTheApplicationsFileNameTheMember() throws Exception {
        Path apps = Files.createTempFile("apps", ".json");
        try {
            Files.writeString(apps, """
                    {"applications": [{"carrier": "c", "applicationIdentifier": "i", "applicationKey": "k",
                      "applicationSecret": "s", "developerKey": "d", "verification": {"maxAtempts": 3}}]}
                    """);
            IllegalArgumentException e = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                    () -> ReferenceServer.builder().jdbcUrl(db).applicationsFile(apps).build());
            assertTrue(e.getMessage(), e.getMessage().contains("verification.maxAtempts is not a known setting"));
            Files.writeString(apps, """
                    {"applications": [{"carrier": "c", "applicationIdentifier": "i", "applicationKey": "k",
                      "applicationSecret": "s", "developerKey": "d", "verification": {"codeLength": 3}}]}
                    """);
            e = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                    () -> ReferenceServer.builder().jdbcUrl(db).applicationsFile(apps).build());
            assertTrue(e.getMessage(), e.getMessage().contains("codeLength must be 4 to 10"));
        } finally {
            Files.delete(apps);
        }
    }
}
