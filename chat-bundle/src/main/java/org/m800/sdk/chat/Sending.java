package org.m800.sdk.chat;

import java.util.concurrent.CompletableFuture;

/**
 * The result of {@link ChatManager#send}: the message, already stored in the outbox, and when the
 * server accepts it.
 *
 * @param message the stored message, state {@link MessageState#SENDING}
 * @param accepted completes with the message in state SENT (its seq set) when the server accepted it;
 *        fails with the server's error when it refused it for good (the message is then FAILED). It does
 *        not fail for network trouble: the message stays in the outbox and is sent again, also by a later
 *        client on the same data directory (whose {@link ChatListener} hears the outcome). Closing the
 *        client completes it: if still pending it fails with {@link org.m800.sdk.core.ErrorCode#CLOSED}
 *        (the message stays in the outbox for the next client on the data directory).
 */
public record Sending(Message message, CompletableFuture<Message> accepted) {
}
