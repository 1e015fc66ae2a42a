package org.m800.sdk.chat;

/**
 * Another member started or stopped typing. Treat {@code typing = true} as lasting
 * {@value ChatManager#TYPING_TIMEOUT_MS} ms unless renewed.
 *
 * @param conversationId the conversation
 * @param userId who types
 * @param typing whether they are typing now
 */
public record TypingEvent(String conversationId, String userId, boolean typing) {
}
