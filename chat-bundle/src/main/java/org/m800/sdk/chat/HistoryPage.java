package org.m800.sdk.chat;

import java.util.List;

/**
 * One page of a conversation's history.
 *
 * @param messages newest first
 * @param hasMore whether older messages exist (ask again with {@code before} = the last message's seq)
 */
public record HistoryPage(List<Message> messages, boolean hasMore) {
}
