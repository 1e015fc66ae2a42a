package org.m800.sdk.verification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.verification.VerificationFixture.code;
import static org.m800.sdk.verification.VerificationFixture.delivery;
import static org.m800.sdk.verification.VerificationFixture.failure;
import static org.m800.sdk.verification.VerificationFixture.get;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.Subscription;
import org.m800.server.ApplicationRegistration;
import org.m800.server.VerificationSettings;

/**
 * The verification feature against the real reference server: every method end to end with sign-up,
 * each refusal with its own error, and bad input refused before anything is sent.
 */
public class VerificationIntegrationTest {

    private static final String MOBILE = "+447400123456";

    /** Requires a verified number for sign-up; codes live 60 s; three codes per number. */
    private static final ApplicationRegistration STRICT = new ApplicationRegistration("dev.m800", "org.m800.strict",
            "strict-key", "strict-secret", "dev-developer", VerificationSettings.builder().requiredForSignUp(true)
                    .codeLifetime(Duration.ofSeconds(60)).maxSendsPerNumber(3).build());
    private static final AppMeta STRICT_APP = VerificationFixture.app("strict-key", "strict-secret");

    private final TemporaryFolder temp = new TemporaryFolder();
    /** Serves Hong Kong numbers by SMS only. */
    private static final ApplicationRegistration HK = new ApplicationRegistration("dev.m800", "org.m800.hk", "hk-key",
            "hk-secret", "dev-developer", VerificationSettings.builder().regions(java.util.Set.of("HK"))
                    .methods(java.util.Set.of(VerificationSettings.Method.SMS)).build());

    private final VerificationFixture fx = new VerificationFixture(temp, STRICT, HK);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    private static BlockingQueue<VerificationEvent> record(VerificationSession s, List<Subscription> subs) {
        BlockingQueue<VerificationEvent> events = new LinkedBlockingQueue<>();
        subs.add(s.addListener(events::add));
        return events;
    }

    private static VerificationStatus next(BlockingQueue<VerificationEvent> events) throws InterruptedException {
        VerificationEvent e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no verification event within 10 s");
        }
        return e.status();
    }

    @Test
    public void smsVerificationThenSignUpWithTheProof() throws Exception {
        Client c = fx.open(STRICT_APP, "sms-1");
        VerificationManager verification = c.require(VerificationManager.class);
        AccountManager account = c.require(AccountManager.class);

        M800Exception refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> get(account.signUp("alice", "correct horse", null))).getCause() instanceof M800Exception m ? m : null;
        assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
        assertTrue(refused.getMessage(), refused.getMessage().contains("VERIFICATION_REQUIRED"));

        VerificationSession s = get(verification.start("07400 123456", VerificationMethod.SMS, Locale.UK));
        assertEquals(MOBILE, s.phoneNumber());
        assertEquals(6, s.codeLength());
        assertEquals(5, s.attemptsLeft());
        assertEquals(VerificationStatus.DELIVERED, s.status());
        assertEquals(List.of(s), verification.sessions());
        List<Subscription> subs = new java.util.ArrayList<>();
        BlockingQueue<VerificationEvent> events = record(s, subs);
        assertEquals(VerificationStatus.DELIVERED, next(events));

        String code = code(c, s);
        String wrong = code.equals("000000") ? "111111" : "000000";
        VerificationException e = failure(s.check(wrong));
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        assertEquals(VerificationError.WRONG_CODE, e.error());
        assertEquals(4, e.attemptsLeft());
        assertTrue(e.getMessage(), e.getMessage().contains("4 attempts left"));
        assertFalse(e.getMessage().contains(code));
        assertEquals(4, s.attemptsLeft());

        String proof = get(s.check(code.substring(0, 3) + " " + code.substring(3)));
        assertEquals(VerificationStatus.VERIFIED, next(events));
        assertEquals(proof, s.proof().orElseThrow());
        assertTrue(verification.sessions().isEmpty());

        Profile p = get(account.signUp("alice", "correct horse", null, proof));
        assertEquals("alice", p.username());
        M800Exception reused = (M800Exception) assertThrows(java.util.concurrent.ExecutionException.class,
                () -> get(account.signUp("bob", "correct horse", null, proof))).getCause();
        assertEquals(ErrorCode.UNAUTHORIZED, reused.code());
        assertTrue(reused.getMessage(), reused.getMessage().contains("PROOF_INVALID"));
        subs.forEach(Subscription::close);
    }

    @Test
    public void voiceCallToAFixedLineAndFlashCallByTheIncomingNumber() throws Exception {
        Client c = fx.open(VerificationFixture.DEV, "voice-1");
        VerificationManager verification = c.require(VerificationManager.class);
        VerificationSession voice = get(verification.start("+44 121 234 5678", VerificationMethod.VOICE_CALL, Locale.UK));
        assertEquals("VOICE_CALL", delivery(c, voice.id()).get("method"));
        assertFalse(get(voice.check(code(c, voice))).isEmpty());

        VerificationSession flash = get(verification.start(MOBILE, VerificationMethod.FLASH_CALL, Locale.ENGLISH));
        assertEquals("+1800555", flash.callerPrefix().orElseThrow());
        String caller = (String) delivery(c, flash.id()).get("callerNumber");
        // operations fail their future, they do not throw (core API 1.2)
        VerificationException notTheCaller = VerificationFixture.failure(flash.checkIncomingCall("+447700900123"));
        assertEquals(VerificationError.INVALID_CODE, notTheCaller.error());
        assertFalse(get(flash.checkIncomingCall(caller)).isEmpty());
        assertEquals(VerificationStatus.VERIFIED, flash.status());
        assertEquals(VerificationError.OTHER, VerificationFixture.failure(voice.checkIncomingCall(caller)).error());
    }

    @Test
    public void badInputIsRefusedBeforeAnythingIsSent() throws Exception {
        Client c = fx.open(VerificationFixture.DEV, "bad-1");
        VerificationManager v = c.require(VerificationManager.class);
        assertInvalid(VerificationError.INVALID_NUMBER, "is too short", () -> v.start("+4474001", VerificationMethod.SMS));
        assertInvalid(VerificationError.INVALID_NUMBER, "is too long",
                () -> v.start("+447400123456789", VerificationMethod.SMS));
        assertInvalid(VerificationError.INVALID_NUMBER, "is invalid for region GB",
                () -> v.start("+441000000000", VerificationMethod.SMS));
        assertInvalid(VerificationError.INVALID_NUMBER, "unknown country code",
                () -> v.start("+99912345678", VerificationMethod.SMS));
        assertInvalid(VerificationError.INVALID_NUMBER, "must be in international form",
                () -> v.start("07400123456", VerificationMethod.SMS, Locale.ENGLISH));
        assertInvalid(VerificationError.INVALID_NUMBER, "is not a phone number",
                () -> v.start("call me maybe", VerificationMethod.SMS, Locale.UK));
        assertInvalid(VerificationError.UNSUPPORTED_NUMBER, "is not mobile (fixed line); SMS needs a mobile number",
                () -> v.start("+441212345678", VerificationMethod.SMS));
        assertInvalid(VerificationError.UNSUPPORTED_NUMBER, "FLASH_CALL needs a mobile number",
                () -> v.start("+441212345678", VerificationMethod.FLASH_CALL));
        assertEquals("+85251234567", v.normalize("5123 4567", "HK", VerificationMethod.SMS));

        VerificationSession s = get(v.start(MOBILE, VerificationMethod.SMS));
        assertInvalid(VerificationError.INVALID_CODE, "code must be 6 digits", () -> s.check("12345"));
        assertInvalid(VerificationError.INVALID_CODE, "code must be 6 digits", () -> s.check("12345a"));
        assertEquals(5, get(s.refresh()) == VerificationStatus.DELIVERED ? s.attemptsLeft() : -1);
        // only the one valid start reached the server
        assertEquals(1, ((List<?>) get(c.require(org.m800.sdk.core.HttpService.class).post(
                org.m800.sdk.core.HttpService.Endpoint.VERIFICATION, "/v1/verification/outbox", java.util.Map.of(),
                null, null)).get("deliveries")).size());
    }

    /** The operation fails its future (core API 1.2: it does not throw) with INVALID_ARGUMENT and that error. */
    private static void assertInvalid(VerificationError error, String message,
            java.util.function.Supplier<CompletableFuture<?>> r) throws Exception {
        VerificationException e = VerificationFixture.failure(r.get());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals(error, e.error());
        assertTrue("'" + e.getMessage() + "' should contain '" + message + "'", e.getMessage().contains(message));
    }

    @Test
    public void lockedExpiredCooldownRateLimitAndCancelledEachHaveTheirOwnError() throws Exception {
        Client c = fx.open(STRICT_APP, "rules-1");
        VerificationManager v = c.require(VerificationManager.class);
        List<Subscription> subs = new java.util.ArrayList<>();

        // five wrong codes lock the session; the sixth attempt is refused even with the right code
        VerificationSession locked = get(v.start(MOBILE, VerificationMethod.SMS));
        BlockingQueue<VerificationEvent> lockedEvents = record(locked, subs);
        assertEquals(VerificationStatus.DELIVERED, next(lockedEvents));
        String code = code(c, locked);
        int tried = 0;
        for (int g = 0; tried < 5; g++) {
            String guess = String.format("%06d", g);
            if (!guess.equals(code)) {
                tried++;
                assertEquals(VerificationError.WRONG_CODE, failure(locked.check(guess)).error());
            }
        }
        assertEquals(VerificationStatus.LOCKED, next(lockedEvents));
        VerificationException sixth = failure(locked.check(code));
        assertEquals(ErrorCode.ILLEGAL_STATE, sixth.code());
        assertEquals(VerificationError.LOCKED, sixth.error());
        assertTrue(sixth.getMessage(), sixth.getMessage().contains("locked after too many wrong codes"));

        // a resend inside the cooldown
        VerificationSession expiring = get(v.start(MOBILE, VerificationMethod.SMS));
        VerificationException cooldown = failure(expiring.resend());
        assertEquals(ErrorCode.RATE_LIMITED, cooldown.code());
        assertEquals(VerificationError.RESEND_COOLDOWN, cooldown.error());
        assertTrue(cooldown.retryAfterMillis() > 0 && cooldown.retryAfterMillis() <= 30_000);

        // the code expires (the server's clock moves on 61 s; the client learns it from the server)
        BlockingQueue<VerificationEvent> expiringEvents = record(expiring, subs);
        assertEquals(VerificationStatus.DELIVERED, next(expiringEvents));
        fx.clock.advance(Duration.ofSeconds(61));
        VerificationException expired = failure(expiring.check(code(c, expiring)));
        assertEquals(ErrorCode.ILLEGAL_STATE, expired.code());
        assertEquals(VerificationError.EXPIRED, expired.error());
        assertTrue(expired.getMessage(), expired.getMessage().contains("expired"));
        assertEquals(VerificationStatus.EXPIRED, next(expiringEvents));

        // the third code to this number is the last of the window
        VerificationSession cancelled = get(v.start(MOBILE, VerificationMethod.SMS));
        VerificationException limited = failure(v.start(MOBILE, VerificationMethod.SMS));
        assertEquals(ErrorCode.RATE_LIMITED, limited.code());
        assertEquals(VerificationError.RATE_LIMITED, limited.error());
        assertTrue(limited.getMessage(), limited.getMessage().contains("NUMBER_LIMIT"));
        assertTrue(limited.retryAfterMillis() > 0);

        // a cancelled session
        BlockingQueue<VerificationEvent> cancelledEvents = record(cancelled, subs);
        assertEquals(VerificationStatus.DELIVERED, next(cancelledEvents));
        get(cancelled.cancel());
        assertEquals(VerificationStatus.CANCELLED, next(cancelledEvents));
        VerificationException afterCancel = failure(cancelled.check(code(c, cancelled)));
        assertEquals(VerificationError.CANCELLED, afterCancel.error());
        assertEquals(ErrorCode.ILLEGAL_STATE, afterCancel.code());
        get(cancelled.cancel());
        subs.forEach(Subscription::close);
    }

    @Test
    public void unsupportedMethodAndUnsupportedRegionComeFromTheServerPolicy() throws Exception {
        Client c = fx.open(VerificationFixture.app("hk-key", "hk-secret"), "policy-1");
        VerificationManager v = c.require(VerificationManager.class);
        VerificationException region = failure(v.start(MOBILE, VerificationMethod.SMS));
        assertEquals(ErrorCode.INVALID_ARGUMENT, region.code());
        assertEquals(VerificationError.UNSUPPORTED_NUMBER, region.error());
        assertTrue(region.getMessage(), region.getMessage().contains("region GB are not served"));
        VerificationException method = failure(v.start("+85251234567", VerificationMethod.VOICE_CALL));
        assertEquals(VerificationError.UNSUPPORTED_METHOD, method.error());
        VerificationSession hk = get(v.start("+852 5123 4567", VerificationMethod.SMS));
        assertEquals("+85251234567", hk.phoneNumber());
        assertEquals(VerificationStatus.DELIVERED, get(hk.refresh()));
    }
}
