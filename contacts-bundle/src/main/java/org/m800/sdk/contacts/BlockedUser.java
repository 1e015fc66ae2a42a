package org.m800.sdk.contacts;

/**
 * A user the logged-in user blocked.
 *
 * @param userId the blocked user's id
 * @param username the blocked user's login name
 * @param displayName the blocked user's display name when blocked
 * @param blockedAt when, epoch ms (server time)
 */
public record BlockedUser(String userId, String username, String displayName, long blockedAt) {
}
