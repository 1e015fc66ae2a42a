package org.m800.sdk.chat;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a conversation as the local store knows it.
 *
 * @param id the server's conversation id
 * @param kind direct or group
 * @param title the group's title; empty for a direct conversation
 * @param members the current members, owner first
 * @param lastSeq the newest message seq known
 * @param readUpTo the seq up to which the logged-in user has read (own read marker, shared by the user's devices)
 * @param unreadCount messages of others after {@code readUpTo} that are not deleted
 * @param member whether the logged-in user is still a member (false after leaving or being removed)
 * @param lastMessage the newest message in the local store, or {@code null}
 */
public record Conversation(String id, ConversationKind kind, String title, List<Member> members, long lastSeq,
        long readUpTo, int unreadCount, boolean member, Message lastMessage) {

    /** @return the member with that user id, if any */
    public Optional<Member> member(String userId) {
        return members.stream().filter(m -> m.userId().equals(userId)).findFirst();
    }
}
