package org.m800.sdk.file;

import java.util.concurrent.CompletableFuture;

import org.m800.sdk.chat.Message;

/**
 * The result of {@link FileManager#share}: the upload and the message that follows it.
 *
 * @param id the share's id, kept across restarts
 * @param upload the file's upload
 * @param sent completes with the media message once the upload (and its thumbnail's) finished and
 *        {@link org.m800.sdk.chat.ChatManager#send} stored it in chat's outbox; fails as the upload does,
 *        or with the chat's error (then nothing is sent). A later client on the same data directory
 *        finishes a share this one could not.
 */
public record Share(String id, Transfer upload, CompletableFuture<Message> sent) {
}
