package org.m800.sdk.chat;

/**
 * A member of a conversation.
 *
 * @param userId the user
 * @param role the role
 * @param deliveredUpTo the highest conversation seq a device of this user has received
 * @param readUpTo the highest conversation seq this user has read
 */
public record Member(String userId, Role role, long deliveredUpTo, long readUpTo) {
}
