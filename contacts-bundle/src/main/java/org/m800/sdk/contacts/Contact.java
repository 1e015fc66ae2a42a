package org.m800.sdk.contacts;

/**
 * A contact of the logged-in user.
 *
 * @param userId the contact's user id
 * @param username the contact's login name
 * @param displayName the contact's own display name, as of the last refresh or change
 * @param alias the user's local name for the contact (synced across the user's devices), or {@code null}
 * @param addedAt when the contact was added, epoch ms (server time)
 * @param updatedAt when the contact entry last changed (added, alias), epoch ms (server time)
 */
public record Contact(String userId, String username, String displayName, String alias, long addedAt, long updatedAt) {

    /** @return the alias if there is one, else the display name */
    public String name() {
        return alias != null ? alias : displayName;
    }
}
