package org.m800.sdk.verification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.m800.sdk.verification.VerificationFixture.code;
import static org.m800.sdk.verification.VerificationFixture.get;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.server.ApplicationRegistration;
import org.m800.server.VerificationSettings;

/** A number verified after sign-up, attached to the account with the proof, listed and removed again. */
public class AccountPhoneNumbersTest {

    private static final ApplicationRegistration OTHER = new ApplicationRegistration("dev.m800", "org.m800.other",
            "other-key", "other-secret", "dev-developer", VerificationSettings.builder().build());

    private final TemporaryFolder temp = new TemporaryFolder();
    private final VerificationFixture fx = new VerificationFixture(temp, OTHER);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void aNumberVerifiedAfterSignUpIsAttachedListedAndRemoved() throws Exception {
        Client c = fx.open(VerificationFixture.DEV, "attach-1");
        VerificationManager verification = c.require(VerificationManager.class);
        // not logged in yet: refused before anything is sent
        assertFailure(ErrorCode.ILLEGAL_STATE, "no user is logged in", verification.attachPhoneNumber("some-proof"));
        get(c.require(AccountManager.class).signUp("alice", "correct horse", null));
        get(c.connectionState(ConnectionState.CONNECTED, java.time.Duration.ofSeconds(10)));
        assertEquals(List.of(), get(verification.phoneNumbers()));

        VerificationSession s = get(verification.start("07400 123456", VerificationMethod.SMS, Locale.UK));
        String proof = get(s.check(code(c, s)));
        assertEquals("+447400123456", get(verification.attachPhoneNumber(proof)));
        assertEquals(List.of("+447400123456"), get(verification.phoneNumbers()));
        // a proof is used once
        assertFailure(ErrorCode.INVALID_ARGUMENT, "PROOF_INVALID", verification.attachPhoneNumber(proof));
        assertFailure(ErrorCode.INVALID_ARGUMENT, "proof is required", verification.attachPhoneNumber(" "));

        assertFailure(ErrorCode.INVALID_ARGUMENT, "not an E.164 number", verification.removePhoneNumber("07400 123456"));
        assertFailure(ErrorCode.NOT_FOUND, "+447400999999", verification.removePhoneNumber("+447400999999"));
        get(verification.removePhoneNumber("+447400123456"));
        assertEquals(List.of(), get(verification.phoneNumbers()));
    }

    @Test
    public void aProofOfAnotherApplicationIsRefused() throws Exception {
        Client dev = fx.open(VerificationFixture.DEV, "attach-dev");
        VerificationSession s = get(dev.require(VerificationManager.class).start("+447400123457",
                VerificationMethod.SMS, Locale.UK));
        String proof = get(s.check(code(dev, s)));

        Client other = fx.open(VerificationFixture.app("other-key", "other-secret"), "attach-other");
        get(other.require(AccountManager.class).signUp("erin", "correct horse", null));
        assertFailure(ErrorCode.INVALID_ARGUMENT, "PROOF_INVALID",
                other.require(VerificationManager.class).attachPhoneNumber(proof));
        assertEquals(List.of(), get(other.require(VerificationManager.class).phoneNumbers()));
    }

    private static void assertFailure(ErrorCode code, String text, CompletableFuture<?> future) throws Exception {
        try {
            get(future);
            fail("expected " + code);
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof M800Exception);
            M800Exception m = (M800Exception) e.getCause();
            assertEquals(m.toString(), code, m.code());
            assertTrue(m.getMessage(), m.getMessage().contains(text));
        }
    }
}
