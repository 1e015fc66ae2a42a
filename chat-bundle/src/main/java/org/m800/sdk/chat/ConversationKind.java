package org.m800.sdk.chat;

/** Whether a conversation is between two users or a group. */
public enum ConversationKind {
    /** Two users; nobody can join, leave or be removed. */
    DIRECT,
    /** A named group of up to {@value ChatManager#MAX_GROUP_MEMBERS} members with roles. */
    GROUP
}
