package org.m800.sdk.chat.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.m800.sdk.chat.ChatManager;

/**
 * Brings a {@link ChatStore} up to date with the server: the conversation list, then, for each
 * conversation whose local history is not complete, the messages after the last seq up to which it
 * is complete (at most {@value #PAGES} pages; older ones come with {@code history}).
 */
final class ChatSync {
    static final int PAGES = 5;

    private final BiFunction<String, Map<String, ?>, CompletableFuture<Map<String, Object>>> request;
    private final BiConsumer<ChatStore, ChatWire.WireMessage> received;

    /**
     * @param request sends a request (never throws)
     * @param received handles a message of the server (stores it, acknowledges, accepts an own one)
     */
    ChatSync(BiFunction<String, Map<String, ?>, CompletableFuture<Map<String, Object>>> request,
            BiConsumer<ChatStore, ChatWire.WireMessage> received) {
        this.request = request;
        this.received = received;
    }

    /** @return completes when the list and the missing messages are stored */
    CompletableFuture<Void> run(ChatStore s) {
        return request.apply("chat.conversations", Map.of()).thenCompose(answer -> {
            List<CompletableFuture<Void>> fetches = new ArrayList<>();
            for (ChatWire.WireConversation w : ChatWire.conversations(answer)) {
                long after = s.syncConversation(w, PAGES, ChatManager.MAX_PAGE);
                if (after >= 0) {
                    fetches.add(fetchAfter(s, w.id(), after, w.lastSeq(), PAGES));
                }
            }
            return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new));
        });
    }

    /**
     * Fetches the server's history after {@code after}, page by page; what the server answered is then
     * complete locally, so the conversation's sync mark moves to it (at least to {@code upTo}, the last
     * seq the server reported, once the last page came).
     */
    private CompletableFuture<Void> fetchAfter(ChatStore s, String convId, long after, long upTo, int pages) {
        return request.apply("chat.history", Map.of("conversationId", convId, "after", after, "limit",
                ChatManager.MAX_PAGE)).thenCompose(data -> {
                    ChatWire.HistoryAnswer answer = ChatWire.HistoryAnswer.of(data);
                    long last = after;
                    for (ChatWire.WireMessage m : answer.messages()) {
                        received.accept(s, m);
                        last = Math.max(last, m.seq());
                    }
                    s.markSynced(convId, answer.hasMore() ? last : Math.max(last, upTo));
                    if (answer.hasMore() && pages > 1 && last > after) {
                        return fetchAfter(s, convId, last, upTo, pages - 1);
                    }
                    return CompletableFuture.completedFuture(null);
                });
    }
}
