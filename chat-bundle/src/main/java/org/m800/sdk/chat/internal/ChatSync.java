package org.m800.sdk.chat.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final BiConsumer<ChatStore, ChatWire.WireMessage> refreshed;

    /**
     * @param request sends a request (never throws)
     * @param received handles a message of the server (stores it, acknowledges, accepts an own one)
     * @param refreshed handles a message of a resync after a gap (as {@code received}, and brings a
     *        stored one up to date)
     */
    ChatSync(BiFunction<String, Map<String, ?>, CompletableFuture<Map<String, Object>>> request,
            BiConsumer<ChatStore, ChatWire.WireMessage> received, BiConsumer<ChatStore, ChatWire.WireMessage> refreshed) {
        this.request = request;
        this.received = received;
        this.refreshed = refreshed;
    }

    /** @return completes when the list and the missing messages are stored */
    CompletableFuture<Void> run(ChatStore s) {
        return run(s, false);
    }

    /**
     * @param afterGap the server's event log lost events this client had not received (retention): then
     *        the stored groups the server no longer lists are left, and the last {@value #PAGES} pages of
     *        every conversation are fetched again, so that edits, deletions and reactions the lost events
     *        carried are applied too
     * @return completes when the list and the missing messages are stored
     */
    CompletableFuture<Void> run(ChatStore s, boolean afterGap) {
        return request.apply("chat.conversations", Map.of()).thenCompose(answer -> {
            List<CompletableFuture<Void>> fetches = new ArrayList<>();
            Set<String> listed = new HashSet<>();
            for (ChatWire.WireConversation w : ChatWire.conversations(answer)) {
                listed.add(w.id());
                long after = s.syncConversation(w, PAGES, ChatManager.MAX_PAGE);
                if (afterGap) {
                    after = Math.max(0, w.lastSeq() - (long) PAGES * ChatManager.MAX_PAGE);
                }
                if (after >= 0 && after < w.lastSeq()) {
                    fetches.add(fetchAfter(s, w.id(), after, w.lastSeq(), PAGES, afterGap));
                }
            }
            if (afterGap) {
                s.notListed(listed);
            }
            return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new));
        });
    }

    /**
     * Fetches the server's history after {@code after}, page by page; what the server answered is then
     * complete locally, so the conversation's sync mark moves to it (at least to {@code upTo}, the last
     * seq the server reported, once the last page came).
     */
    private CompletableFuture<Void> fetchAfter(ChatStore s, String convId, long after, long upTo, int pages,
            boolean afterGap) {
        return request.apply("chat.history", Map.of("conversationId", convId, "after", after, "limit",
                ChatManager.MAX_PAGE)).thenCompose(data -> {
                    ChatWire.HistoryAnswer answer = ChatWire.HistoryAnswer.of(data);
                    long last = after;
                    // a page is one write of the store, not one per message
                    s.batch(() -> {
                        for (ChatWire.WireMessage m : answer.messages()) {
                            if (afterGap) {
                                refreshed.accept(s, m);
                            } else {
                                received.accept(s, m);
                            }
                        }
                    });
                    for (ChatWire.WireMessage m : answer.messages()) {
                        last = Math.max(last, m.seq());
                    }
                    s.markSynced(convId, answer.hasMore() ? last : Math.max(last, upTo));
                    if (answer.hasMore() && pages > 1 && last > after) {
                        return fetchAfter(s, convId, last, upTo, pages - 1, afterGap);
                    }
                    return CompletableFuture.completedFuture(null);
                });
    }
}
