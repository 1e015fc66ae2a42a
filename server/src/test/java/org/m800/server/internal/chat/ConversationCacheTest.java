package org.m800.server.internal.chat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.m800.server.internal.wire.Json;

/**
 * Issue 17 item 9 (chat part): the conversations cache is bounded, and evicting a conversation while
 * messages are being sent to it never hands out a seq twice: each conversation's seqs stay 1, 2, 3...
 * unique and, per sender, increasing.
 */
public class ConversationCacheTest {
    private static final int CACHED = 3;
    private static final int GROUPS = 12;
    private static final int SENDERS = 6;
    private static final int MESSAGES = 120;

    private static ObjectNode text(String conv, String messageId) {
        ObjectNode d = Json.object().put("conversationId", conv).put("messageId", messageId);
        d.putObject("content").put("kind", "text").put("text", messageId);
        return d;
    }

    @Test
    public void evictionUnderConcurrentSendsNeverReusesASeq() throws Exception {
        try (ChatRig rig = new ChatRig(CACHED)) {
            List<String> users = rig.users("u", SENDERS);
            List<String> groups = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                ObjectNode create = Json.object().put("title", "g" + g);
                users.subList(1, SENDERS).forEach(create.putArray("members")::add);
                groups.add(rig.groups.createGroup(users.get(0), create).path("id").asText());
            }
            // every sender walks the groups in its own order, so that each send is likely to find its
            // conversation evicted by the others' sends (3 cached of 12 used)
            Map<String, ConcurrentLinkedQueue<Long>> seqs = new ConcurrentHashMap<>();
            groups.forEach(g -> seqs.put(g, new ConcurrentLinkedQueue<>()));
            ExecutorService pool = Executors.newFixedThreadPool(SENDERS + 1);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    String sender = users.get(s);
                    int offset = s * 5;
                    done.add(pool.submit(() -> {
                        start.await();
                        Map<String, Long> lastOwn = new java.util.HashMap<>();
                        for (int i = 0; i < MESSAGES; i++) {
                            String conv = groups.get((offset + i * (1 + offset % 5)) % GROUPS);
                            long seq = rig.messages.send(sender, text(conv, sender + "-" + i)).path("seq").asLong();
                            Long before = lastOwn.put(conv, seq);
                            assertTrue(sender + " in " + conv + ": seq " + seq + " after " + before,
                                    before == null || seq > before);
                            seqs.get(conv).add(seq);
                        }
                        return null;
                    }));
                }
                // and a reader that keeps loading every conversation (list) while they send
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 40; i++) {
                        rig.groups.list(users.get(1 + i % (SENDERS - 1)));
                    }
                    return null;
                }));
                start.countDown();
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            }
            assertTrue("conversations were evicted: " + rig.conversations.evictions(),
                    rig.conversations.evictions() > GROUPS);
            assertTrue("the cache stays bounded: " + rig.conversations.size(),
                    rig.conversations.size() <= CACHED + SENDERS + 1);
            long total = 0;
            for (String g : groups) {
                List<Long> got = new ArrayList<>(seqs.get(g));
                got.sort(null);
                for (int i = 0; i < got.size(); i++) {
                    assertEquals("conversation " + g + " seqs are 1, 2, 3... each once", i + 1, (long) got.get(i));
                }
                assertEquals(got.size(), rig.scalar("SELECT COUNT(*) FROM chat_messages WHERE conversation_id = '"
                        + g + "'"));
                assertEquals(got.size(), rig.scalar("SELECT COALESCE(MAX(seq), 0) FROM chat_messages "
                        + "WHERE conversation_id = '" + g + "'"));
                total += got.size();
            }
            assertEquals(SENDERS * MESSAGES, total);
            // every member's log got every message once
            assertEquals(SENDERS * MESSAGES, rig.scalar("SELECT COUNT(*) FROM events WHERE user_id = '"
                    + users.get(1) + "' AND event_type = 'chat.message'"));
        }
    }
}
