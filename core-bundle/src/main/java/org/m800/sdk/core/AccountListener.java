package org.m800.sdk.core;

/**
 * Hears the logged-in user of an {@link AccountManager}. Every method has an empty default, so
 * implement only what you need. Called in order on the client's event threads, never while the SDK
 * holds a lock; a listener that throws is logged and the others still run.
 *
 * @since 1.2
 */
public interface AccountListener {

    /**
     * The user's profile at log-in, and after every change (also changes made on another device).
     *
     * @param profile never {@code null}
     */
    default void profileChanged(Profile profile) {
    }

    /** The user logged out (here, or the server ended the session). */
    default void loggedOut() {
    }
}
