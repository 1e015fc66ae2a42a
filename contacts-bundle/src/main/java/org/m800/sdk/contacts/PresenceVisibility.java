package org.m800.sdk.contacts;

/**
 * Who may see the logged-in user's presence ({@link ContactManager#setPresenceVisibility}). A user who
 * may not sees the user {@link PresenceState#OFFLINE}, without status text or last seen, exactly as a
 * blocked user does, and is told of no change.
 */
public enum PresenceVisibility {
    /** Every user of the carrier (the default). */
    EVERYONE,
    /** Only the users in this user's own contact list. */
    CONTACTS,
    /** No one. */
    NOBODY
}
