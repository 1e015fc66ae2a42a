package org.m800.sdk.contacts;

/**
 * A user as others see them, found by {@link ContactManager#findUser(String)} or
 * {@link ContactManager#searchUsers(String, int)}.
 *
 * @param userId the user's id (what {@link ContactManager#add(String, String)} and chat take)
 * @param username the user's login name
 * @param displayName the user's display name
 */
public record UserSummary(String userId, String username, String displayName) {
}
