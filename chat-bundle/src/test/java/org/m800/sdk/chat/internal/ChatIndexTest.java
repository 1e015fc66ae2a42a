package org.m800.sdk.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.m800.sdk.chat.MessageState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** The store's in-memory index and its reads, without a file. */
public class ChatIndexTest {
    private static final String ME = "u-me";
    private static final String PEER = "u-peer";

    private static StoredMessage message(String sender, String id, long seq) {
        StoredMessage m = new StoredMessage();
        m.id = id;
        m.conv = "d-1";
        m.sender = sender;
        m.seq = seq;
        m.ts = 1_000 + seq;
        m.content = Map.of("kind", "text", "text", id);
        return m;
    }

    @Test
    public void anAcceptedSnapshotLeavesTheOutboxAndTakesItsSeq() {
        ChatIndex index = new ChatIndex(ME);
        index.index(message(ME, "own-1", 0));
        index.index(message(ME, "own-2", 0));
        assertEquals(List.of("own-1", "own-2"), index.outboxIds());
        assertEquals(MessageState.SENDING, index.message("own-1").orElseThrow().state());

        index.index(message(ME, "own-1", 7));
        assertEquals(List.of("own-2"), index.outboxIds());
        assertFalse(index.inOutbox("own-1"));
        assertNull(index.outgoing("own-1"));
        assertEquals(7, index.message("own-1").orElseThrow().seq());
        assertEquals(7, index.find("d-1").lastSeq);
        assertEquals("one conversation, two messages", 3, index.size());
    }

    @Test
    public void aMessageIdIsLookedUpOwnFirst() {
        ChatIndex index = new ChatIndex(ME);
        index.index(message(PEER, "same", 1));
        assertEquals(PEER, index.message("same").orElseThrow().senderId());
        index.index(message(ME, "same", 2));
        assertEquals(ME, index.message("same").orElseThrow().senderId());
        assertEquals(PEER, index.message(PEER, "same").orElseThrow().senderId());
    }

    @Test
    public void aFailedOwnMessageIsNotInTheOutbox() {
        ChatIndex index = new ChatIndex(ME);
        StoredMessage failed = message(ME, "own-1", 0);
        failed.failure = "INVALID_ARGUMENT: too long";
        index.index(failed);
        assertTrue(index.outboxIds().isEmpty());
        assertEquals(MessageState.FAILED, index.message("own-1").orElseThrow().state());
    }

    @Test
    public void anUnknownConversationIsNotFoundForAPage() {
        ChatIndex index = new ChatIndex(ME);
        try {
            index.localPage("nope", 0, 10, new java.util.ArrayList<>());
            org.junit.Assert.fail("an unknown conversation has no page");
        } catch (M800Exception e) {
            assertEquals(ErrorCode.NOT_FOUND, e.code());
        }
        assertTrue(index.conversation("nope").isEmpty());
        assertEquals(0, index.unreadCount("nope"));
    }
}
