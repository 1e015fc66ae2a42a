package org.m800.server.internal.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.m800.server.internal.wire.Json;

/**
 * The H2 file stays proportional to its data under sustained sending (issue 15: W1's 60,000 messages
 * left a 233 MB file, about 4 KB per message, most of it chunks H2 never rewrote because
 * {@code WRITE_DELAY=0} runs no background thread). Messages go through the writer in group-commit
 * batches, as the WebSocket layer sends them, and the file maintenance the server schedules every 2 s runs
 * between batches here.
 */
public class DatabaseFileGrowthTest {
    /** The share of the chunks' bytes that is live after the maintenance (without it: 32 %, falling). */
    private static final int LIVE_PERCENT = 45;

    private static final int MESSAGES = 12_000;
    private static final int PER_BATCH = 80;
    /** How often (in messages) the compaction runs: the the server checks every 2 s, 10,000 messages at W1's rate. */
    private static final int COMPACT_EVERY = 2_000;

    @Test
    public void theFileStaysProportionalToTheMessagesStored() throws Exception {
        // no retention time: a chunk the maintenance kills is reused at once, however fast this machine
        // writes (the server's 10 s reach the same state after 10 s of load)
        try (ChatRig rig = new ChatRig(100, ";RETENTION_TIME=0")) {
            List<String> users = rig.users("g", 2);
            String conv = rig.groups.direct(users.get(0), Json.object().put("userId", users.get(1))).path("id")
                    .asText();
            String text = "x".repeat(100);
            long before = rig.fileBytes();
            int compactions = 0;
            for (int sent = 0; sent < MESSAGES; sent += PER_BATCH) {
                List<CompletableFuture<Void>> batch = new ArrayList<>(PER_BATCH);
                for (int i = sent; i < sent + PER_BATCH; i++) {
                    String messageId = java.util.UUID.randomUUID().toString();
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    batch.add(done);
                    assertTrue(rig.database.submit(() -> {
                        try {
                            com.fasterxml.jackson.databind.node.ObjectNode m = Json.object()
                                    .put("conversationId", conv).put("messageId", messageId);
                            m.putObject("content").put("kind", "text").put("text", text);
                            rig.messages.send(users.get(0), m);
                            rig.database.afterCommit(() -> done.complete(null));
                        } catch (Exception e) {
                            done.completeExceptionally(e);
                        }
                    }));
                }
                CompletableFuture.allOf(batch.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
                if ((sent + PER_BATCH) % COMPACT_EVERY == 0 && rig.database.maintainFile()) {
                    compactions++;
                }
            }
            assertEquals(MESSAGES, rig.scalar("SELECT COUNT(*) FROM chat_messages"));
            long data = rig.scalar("SELECT SUM(LENGTH(content_json) + LENGTH(message_id) + LENGTH(sender_id) "
                    + "+ LENGTH(conversation_id) + 40) FROM chat_messages")
                    + rig.scalar("SELECT SUM(LENGTH(event_data) + LENGTH(user_id) + LENGTH(event_type) + 24) "
                            + "FROM events");
            // the server's next runs (every 2 s) go on where the last left off: a rewrite is bounded in bytes
            for (int i = 0; i < 3 && rig.database.fileLivePercent() < LIVE_PERCENT; i++) {
                rig.database.maintainFile();
            }
            long growth = rig.fileBytes() - before;
            int live = rig.database.fileLivePercent();
            System.out.printf("%d messages (%d bytes of rows): the file grew by %d bytes (%d per message), %d %% "
                    + "of its chunks' bytes live, %d rewrites%n", MESSAGES, data, growth, growth / MESSAGES, live,
                    compactions);
            assertTrue("sparse chunks are rewritten", compactions > 0);
            // without the maintenance 20 % or less, and falling as the messages grow in number: the file
            // grew with the bytes written, not with the data
            assertTrue("the file is mostly live data: " + live + " %", live >= LIVE_PERCENT);
            assertTrue("the file grew by " + growth + " bytes for " + data + " bytes of rows",
                    growth < 3 * data);
        }
    }
}
