package org.m800.sdk.chat;

/**
 * Where a message is on its way. For an outgoing message the state only moves forward:
 * {@code SENDING → SENT → DELIVERED → READ}, or {@code SENDING → FAILED}. Incoming messages are {@link #RECEIVED}.
 */
public enum MessageState {
    /** Stored in the local outbox; not yet accepted by the server. It will be sent (again) until it is. */
    SENDING,
    /** The server accepted it and gave it its seq in the conversation. */
    SENT,
    /** A device of at least one recipient has it. */
    DELIVERED,
    /** At least one recipient has read it. */
    READ,
    /** The server refused it for good (not a member, too large...); {@link Message#failure()} says why. Never re-sent. */
    FAILED,
    /** A message of another user (or of this user from another device). */
    RECEIVED
}
