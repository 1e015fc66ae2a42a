package org.m800.sdk.chat;

/** What changed about a message, in {@link ChatListener#messageUpdated}. */
public enum MessageUpdate {
    /** Its {@link MessageState} moved (sent, delivered, read, failed). */
    STATE,
    /** The sender edited its text. */
    EDITED,
    /** The sender deleted it for everyone: the content is gone. */
    DELETED,
    /** A reaction was added or removed. */
    REACTIONS
}
