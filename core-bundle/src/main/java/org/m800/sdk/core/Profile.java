package org.m800.sdk.core;

/**
 * A user's profile as the server keeps it.
 *
 * @param userId the server's id of the user
 * @param username the login name, unique within the carrier
 * @param carrier the carrier the account belongs to
 * @param displayName the name shown to others
 * @param statusMessage a free status text, possibly empty
 * @param createdAt when the account was created, epoch ms
 * @param updatedAt when the profile last changed, epoch ms
 */
public record Profile(String userId, String username, String carrier, String displayName, String statusMessage,
        long createdAt, long updatedAt) {
}
