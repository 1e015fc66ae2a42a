package org.m800.sdk.contacts;

/**
 * A change of the contact list, made on this device or another device of the user.
 *
 * @param kind what happened
 * @param contact the contact after the change; for {@link Kind#REMOVED} the contact as it was
 */
public record ContactEvent(Kind kind, Contact contact) {

    /** What happened to a contact. */
    public enum Kind {
        /** Added to the list. */
        ADDED,
        /** Its alias or profile (display name) changed. */
        UPDATED,
        /** Removed from the list. */
        REMOVED
    }
}
