package org.m800.sdk.contacts;

/**
 * Receives contact, block-list and presence changes. Every method has an empty default, so implement
 * only what you need.
 *
 * <p>Rules: methods are called on the SDK's event threads, one at a time per client and in the order
 * the changes happened, never on an I/O thread and never while the SDK holds a lock. Be quick, do not
 * block, and do not wait for a future of this client inside a listener (it completes on the same
 * thread). A listener that throws is logged and the others still run.
 */
public interface ContactListener {

    /** A contact was added, changed or removed, on this device or another device of the user. */
    default void contactChanged(ContactEvent event) {
    }

    /** The user blocked ({@code blocked = true}) or unblocked a user, on this or another device. */
    default void blockChanged(String userId, boolean blocked) {
    }

    /** The presence of a user this user subscribes to changed (or this user's own presence settings). */
    default void presenceChanged(Presence presence) {
    }
}
