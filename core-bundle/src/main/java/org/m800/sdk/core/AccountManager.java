package org.m800.sdk.core;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The module {@value #MODULE}: sign-up, log-in and the login session of a client's user.
 *
 * <p>Once logged in, the session (tokens) is kept in {@code service.storage}: a client restarted on the
 * same data directory is logged in again without the password, and connects. The access token is
 * refreshed before it expires. While logged in, the {@link ConnectService} is kept connected.
 *
 * <p>Arguments are checked before anything is sent: a bad username or password fails with
 * INVALID_ARGUMENT naming the field. Futures complete on the client's event threads. Thread-safe.
 */
public interface AccountManager {

    /** The module name. */
    String MODULE = "account";

    /**
     * Creates an account and logs in to it.
     *
     * @param username 3 to 64 characters of {@code a-z 0-9 . _ -} (upper case is lowered), starting with a
     *        letter or digit
     * @param password 8 to 128 characters
     * @param displayName 0 to 100 characters, or {@code null} for the username
     * @return the new profile; fails with INVALID_ARGUMENT (bad input, checked before anything is sent,
     *         or the username is taken), UNAUTHORIZED (application refused), NETWORK, TIMEOUT. Never throws.
     */
    default CompletableFuture<Profile> signUp(String username, String password, String displayName) {
        return signUp(username, password, displayName, null);
    }

    /**
     * Creates an account with a proof that the user verified a phone number (from the verification
     * feature); applications whose server policy requires a verified number must use this form.
     *
     * @param verificationProof the proof token of a successful verification, or {@code null}
     * @return as {@link #signUp(String, String, String)}; also UNAUTHORIZED when the proof is invalid,
     *         expired or already used, or missing while the server requires one
     */
    CompletableFuture<Profile> signUp(String username, String password, String displayName, String verificationProof);

    /**
     * Logs in; a session that was logged in before is replaced.
     *
     * @return the profile; fails with INVALID_ARGUMENT (a blank username or password), UNAUTHORIZED (wrong
     *         username or password), RATE_LIMITED, NETWORK, TIMEOUT. Never throws.
     */
    CompletableFuture<Profile> logIn(String username, String password);

    /**
     * Logs out: the server revokes the session, the connection closes and the stored session is
     * deleted. The local session is deleted even if the server cannot be reached.
     */
    CompletableFuture<Void> logOut();

    /**
     * Logs out every device of the user, this one included: the server revokes every login session of
     * the user (with every application of the carrier) and closes their connections. Each other
     * device's client learns it at once if it is connected, or at its next connection: its
     * {@link ConnectService} goes DISCONNECTED (cause {@link ConnectionFailure#UNAUTHORIZED}), its
     * {@link AccountListener#loggedOut()} is called and its stored session is deleted, so it has to log
     * in again. Use it when a device was lost or a password may be known to someone else (change the
     * password too).
     *
     * <p>The local session is deleted once the server confirmed; when the server cannot be reached
     * nothing changes, so the call can be repeated.
     *
     * @return the number of sessions the server revoked (this one included); fails with ILLEGAL_STATE
     *         when no user is logged in, UNAUTHORIZED when the session was already revoked, NETWORK,
     *         TIMEOUT; FEATURE_UNAVAILABLE from an implementation that does not support it. Never throws.
     * @since 1.2
     */
    default CompletableFuture<Integer> logOutEverywhere() {
        return CompletableFuture.failedFuture(new M800Exception(ErrorCode.FEATURE_UNAVAILABLE,
                "this account module (" + getClass().getName() + ") cannot log out every device"));
    }

    /** Rotates the tokens now (it also happens by itself before they expire). */
    CompletableFuture<Void> refresh();

    /**
     * The logged-in user's current access token, for the {@code Authorization: Bearer} header of HTTP
     * endpoints outside this module (the file feature's uploads and downloads). A token about to expire
     * is refreshed first. Never logged; do not keep it: ask again for every request.
     *
     * @param refresh {@code true} when a server has just refused the token: it is rotated now
     * @return the token; fails with ILLEGAL_STATE when no user is logged in, or as {@link #refresh()}
     * @since 1.2
     */
    CompletableFuture<String> accessToken(boolean refresh);

    /** @return whether a user is logged in */
    boolean isLoggedIn();

    /** @return the profile of the logged-in user as last seen, or empty */
    Optional<Profile> profile();

    /** Reads the profile from the server (over the IM connection). */
    CompletableFuture<Profile> fetchProfile();

    /**
     * Changes the display name and/or status message ({@code null} leaves one unchanged).
     *
     * @return the new profile; fails with INVALID_ARGUMENT for a blank or too long display name or when
     *         both are {@code null}. Never throws.
     */
    CompletableFuture<Profile> updateProfile(String displayName, String statusMessage);

    /**
     * Adds a listener of the logged-in user: its profile at log-in and after every change, and the
     * log-out.
     *
     * @return the handle that removes it
     * @throws M800Exception INVALID_ARGUMENT for {@code null}
     * @since 1.2
     */
    default Subscription addListener(AccountListener listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        return onProfile(p -> {
            if (p == null) {
                listener.loggedOut();
            } else {
                listener.profileChanged(p);
            }
        });
    }

    /**
     * Subscribes to the logged-in user's profile: called with the profile at log-in and after every
     * change (also changes made on another device), with {@code null} at log-out.
     *
     * @return the handle that removes it
     * @deprecated since 1.2; use {@link #addListener(AccountListener)}, the SDK's one way to add a listener
     */
    @Deprecated
    Subscription onProfile(Consumer<Profile> listener);
}
