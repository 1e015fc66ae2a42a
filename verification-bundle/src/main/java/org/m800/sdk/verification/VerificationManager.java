package org.m800.sdk.verification;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The module {@value #MODULE} of the feature of the same name: verifies that the user owns a phone
 * number, by a code sent in a text message, read in a call, or carried by the number of a flash call.
 * A successful check yields a single-use proof that {@code AccountManager.signUp(..., verificationProof)}
 * passes to the server (applications whose server policy requires a verified number must).
 *
 * <p>Talks to {@code ClientConfig.verificationServers()} (docs/protocol.md section 11) through
 * {@code service.http}. Numbers are checked and normalised to E.164 with libphonenumber before
 * anything is sent; the server checks again. Every network call returns at once with a future that
 * completes on the client's event threads. Thread-safe.
 */
public interface VerificationManager {

    /** The module and feature name. */
    String MODULE = "verification";

    /**
     * Starts a verification: the server sends a code.
     *
     * @param phoneNumber in international form ({@code +44 7400 123456}), or national form when the
     *        locale has a country ({@code 07400 123456} with {@code en-GB})
     * @param method how to deliver the code
     * @param locale the user's language (for the message) and default region (for national numbers);
     *        {@code null} for {@link Locale#getDefault()}
     * @return the session, once the server accepted it; fails with a {@link VerificationException}:
     *         INVALID_ARGUMENT ({@link VerificationError#INVALID_NUMBER}: too short, too long, invalid for its
     *         region, unknown country code; {@link VerificationError#UNSUPPORTED_NUMBER}: not mobile where the
     *         method needs one) before anything is sent (since 1.1 the future fails, it does not throw: the
     *         core API 1.2 rule), RATE_LIMITED, UNSUPPORTED_NUMBER or UNSUPPORTED_METHOD (server policy), a
     *         network failure, or FEATURE_REMOVED
     */
    CompletableFuture<VerificationSession> start(String phoneNumber, VerificationMethod method, Locale locale);

    /** {@link #start(String, VerificationMethod, Locale)} with the default locale. */
    default CompletableFuture<VerificationSession> start(String phoneNumber, VerificationMethod method) {
        return start(phoneNumber, method, null);
    }

    /**
     * Checks and normalises a number without sending anything.
     *
     * @param defaultRegion ISO 3166 region for national numbers, or {@code null} for international only
     * @return the number in E.164 form
     * @throws VerificationException INVALID_ARGUMENT saying why the number cannot be used with the method
     */
    String normalize(String phoneNumber, String defaultRegion, VerificationMethod method);

    /** @return the sessions started by this client that are not final yet, oldest first */
    List<VerificationSession> sessions();

    /**
     * Adds a verified number to the logged-in user's account: the proof of a verification of this
     * application ({@link VerificationSession#check(String)}) is used up, and address-book matching
     * ({@code ContactManager.matchAddressBook}) finds the user by that number from then on, as for a
     * number verified at sign-up. Goes over the IM connection (docs/protocol.md section 11.8).
     *
     * @param proof the proof, single use
     * @return the number, E.164; fails with INVALID_ARGUMENT for a blank proof or one that is unknown,
     *         expired, already used or of another application ({@code PROOF_INVALID}), ILLEGAL_STATE when
     *         no user is logged in
     * @since 1.2
     */
    CompletableFuture<String> attachPhoneNumber(String proof);

    /**
     * Removes a verified number from the logged-in user's account; matching no longer finds the user
     * by it.
     *
     * @param phoneNumber the number, E.164 ({@code +447400123456})
     * @return completes when removed; fails with INVALID_ARGUMENT for a number that is not E.164,
     *         NOT_FOUND if it is not a verified number of the user's
     * @since 1.2
     */
    CompletableFuture<Void> removePhoneNumber(String phoneNumber);

    /**
     * @return the logged-in user's verified numbers (at sign-up and attached), E.164, sorted
     * @since 1.2
     */
    CompletableFuture<List<String>> phoneNumbers();
}
