package org.m800.sdk.chat;

/**
 * Receives chat events. Every method has an empty default, so implement only what you need.
 *
 * <p>Rules: methods are called on the SDK's event threads, one at a time per client and in order
 * (the messages of a conversation in their seq order), never on an I/O thread and never while the
 * SDK holds a lock. Be quick, do not block (hand long work to your own executor), and do not wait
 * for a future of this client inside a listener (it completes on the same thread). A listener that
 * throws is logged and the others still run.
 */
public interface ChatListener {

    /**
     * A message arrived that this device did not have: from another user, or sent by this user on
     * another device. Called once per message per device.
     */
    default void messageReceived(Message message) {
    }

    /** A message this device has changed: its state, its text, deleted, or its reactions. */
    default void messageUpdated(Message message, MessageUpdate update) {
    }

    /** Another member started or stopped typing. */
    default void typing(TypingEvent event) {
    }

    /** A conversation became known or changed (title, members, roles, the own read marker). */
    default void conversationUpdated(Conversation conversation, GroupChange change) {
    }

    /**
     * The first synchronisation of the logged-in user's local copy finished (after log-in, or after a
     * logged-in client started): the conversation list and what arrived while this device was offline
     * are in the local store. Called once per log-in; {@link ChatManager#firstSync()} is the same as a
     * future.
     *
     * @since 1.2
     */
    default void synced() {
    }
}
