package org.m800.sdk.chat;

/**
 * A member's role in a group; the server enforces what each may do. Members of a direct conversation
 * are all {@link #MEMBER}.
 */
public enum Role {
    /** Renames, invites, removes anyone, makes admins; one per group. When the owner leaves, the first admin (else the longest member) becomes owner. */
    OWNER,
    /** Renames, invites, removes members (not admins or the owner). */
    ADMIN,
    /** Sends, reacts, leaves. */
    MEMBER
}
