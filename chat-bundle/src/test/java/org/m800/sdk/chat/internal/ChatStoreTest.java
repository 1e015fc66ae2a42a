package org.m800.sdk.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.MessageState;
import org.m800.sdk.core.ListenerList;

/** The chat store's file: reopen, a torn tail record, compaction of a long log. */
public class ChatStoreTest {
    private static final String ME = "u-me";
    private static final String PEER = "u-peer";
    private static final String CONV = "d-1";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1);
    private final ListenerList<ChatListener> listeners = new ListenerList<>(Runnable::run, "test chat listener");
    private final List<ChatStore> opened = new ArrayList<>();

    @After
    public void closeAll() throws InterruptedException {
        opened.forEach(ChatStore::close);
        scheduler.shutdownNow();
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
    }

    private ChatStore open(Path dir) {
        ChatStore s = ChatStore.open(dir, ME, scheduler, Runnable::run, listeners);
        opened.add(s);
        return s;
    }

    private static ChatWire.WireConversation direct() {
        return new ChatWire.WireConversation(CONV, "direct", "", 0, 0L, List.of(
                new ChatWire.WireMember(ME, "member", 0, 0), new ChatWire.WireMember(PEER, "member", 0, 0)));
    }

    private static Map<String, Object> text(String t) {
        return Map.of("kind", "text", "text", t);
    }

    private static ChatWire.WireMessage fromPeer(String id, long seq) {
        return new ChatWire.WireMessage(id, CONV, PEER, "direct", seq, 1_000 + seq, text("from peer " + seq), 0, Map.of());
    }

    /** Writes a conversation, 3 accepted own messages, 2 in the outbox and 2 from the peer. */
    private static void fill(ChatStore s) {
        s.conversationAnswer(direct());
        for (int i = 1; i <= 5; i++) {
            s.addOutgoing(CONV, "own-" + i, text("own " + i));
        }
        s.accept("own-1", 1, 11);
        s.accept("own-2", 2, 12);
        s.accept("own-3", 3, 13);
        s.incoming(fromPeer("p-4", 4));
        s.incoming(fromPeer("p-5", 5));
    }

    private static void assertFilled(ChatStore s) {
        assertFilled(s, MessageState.SENT);
    }

    private static void assertFilled(ChatStore s, MessageState own3) {
        assertEquals(1, s.conversations().size());
        assertEquals(List.of("own-4", "own-5"), s.outboxIds());
        assertEquals(own3, s.message("own-3").orElseThrow().state());
        assertEquals(3, s.message("own-3").orElseThrow().seq());
        assertEquals("from peer 5", s.message(PEER, "p-5").orElseThrow().text());
        assertEquals(2, s.unreadCount(CONV));
    }

    @Test
    public void whatWasWrittenIsThereAfterReopening() {
        Path dir = temp.getRoot().toPath().resolve("chat");
        ChatStore first = open(dir);
        fill(first);
        first.close();

        ChatStore second = open(dir);
        assertFilled(second);
        // and it keeps working: the outbox drains, a reopen sees that too
        second.accept("own-4", 6, 16);
        second.close();
        ChatStore third = open(dir);
        assertEquals(List.of("own-5"), third.outboxIds());
        assertEquals(6, third.message("own-4").orElseThrow().seq());
    }

    @Test
    public void aTornTailRecordIsCutAndEverythingBeforeItKept() throws IOException {
        Path dir = temp.getRoot().toPath().resolve("chat");
        ChatStore first = open(dir);
        fill(first);
        first.close();
        Path file = dir.resolve(ChatLog.FILE);
        long good = Files.size(file);
        // a crash in the middle of a write: a header announcing 500 bytes, then only 20 of them
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
            ByteBuffer torn = ByteBuffer.allocate(28);
            torn.putInt(500).putInt(12345).put(new byte[20]).flip();
            ch.write(torn);
        }
        assertEquals(good + 28, Files.size(file));

        ChatStore second = open(dir);
        assertFilled(second);
        assertEquals("the torn record is cut off", good, Files.size(file));
        second.addOutgoing(CONV, "own-6", text("after the crash"));
        second.close();
        ChatStore third = open(dir);
        assertEquals(List.of("own-4", "own-5", "own-6"), third.outboxIds());
    }

    @Test
    public void aRecordWithABadChecksumEndsTheLog() throws IOException {
        Path dir = temp.getRoot().toPath().resolve("chat");
        ChatStore first = open(dir);
        fill(first);
        first.close();
        Path file = dir.resolve(ChatLog.FILE);
        long good = Files.size(file);
        byte[] payload = "{\"t\":\"m\",\"id\":\"ghost\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
            ByteBuffer bad = ByteBuffer.allocate(8 + payload.length);
            bad.putInt(payload.length).putInt(0xBAD).put(payload).flip();
            ch.write(bad);
        }
        ChatStore second = open(dir);
        assertFilled(second);
        assertFalse(second.message("ghost").isPresent());
        assertEquals(good, Files.size(file));
    }

    @Test
    public void aLogOfMostlyDeadRecordsIsCompactedPastTenThousandOnOpen() throws IOException {
        Path dir = temp.getRoot().toPath().resolve("chat");
        ChatStore first = open(dir);
        fill(first);
        // 12,000 receipts of the peer rewrite the same conversation: one live object, many records
        for (int i = 0; i < 12_000; i++) {
            first.receipt(new ChatWire.Receipt(CONV, PEER, i % 3 + 1, 0, List.of()));
        }
        first.close();
        Path file = dir.resolve(ChatLog.FILE);
        long before = Files.size(file);

        ChatStore second = open(dir);
        long after = Files.size(file);
        assertTrue("compacted from " + before + " to " + after + " bytes", after * 100 < before);
        assertFilled(second, MessageState.DELIVERED);
        assertFalse(Files.exists(dir.resolve(ChatLog.FILE + ".tmp")));
        second.close();

        ChatStore third = open(dir); // the compacted file is a valid log
        assertFilled(third, MessageState.DELIVERED);
        assertEquals(after, Files.size(file));
    }

    @Test
    public void aSmallLogIsNotCompacted() throws IOException {
        Path dir = temp.getRoot().toPath().resolve("chat");
        ChatStore first = open(dir);
        fill(first);
        for (int i = 0; i < 500; i++) {
            first.receipt(new ChatWire.Receipt(CONV, PEER, i % 3 + 1, 0, List.of()));
        }
        first.close();
        long before = Files.size(dir.resolve(ChatLog.FILE));
        open(dir).close();
        assertEquals(before, Files.size(dir.resolve(ChatLog.FILE)));
    }

    @Test
    public void theRecordsOfOneOperationLeaveInOneWrite() {
        Path dir = temp.getRoot().toPath().resolve("grouped");
        ChatStore s = open(dir);
        s.conversationAnswer(direct());
        int before = s.logWrites();
        List<ChatWire.WireMessage> page = new ArrayList<>();
        for (long seq = 1; seq <= 50; seq++) {
            page.add(fromPeer("p-" + seq, seq));
        }
        List<org.m800.sdk.chat.Message> local = new ArrayList<>();
        assertEquals(50, s.serverPage(CONV, 0, 50, local, new ChatWire.HistoryAnswer(page, false)).messages().size());
        assertEquals("50 messages of a history page, one write", before + 1, s.logWrites());
        // a message of a conversation not known yet: the conversation and the message, one write
        s.incoming(new ChatWire.WireMessage("g-1", "g-new", PEER, "group", 1, 5_000, text("hi"), 0, Map.of()));
        assertEquals(before + 2, s.logWrites());
        s.close();
        ChatStore again = open(dir);
        assertEquals(2, again.conversations().size());
        for (long seq = 1; seq <= 50; seq++) {
            assertEquals("from peer " + seq, again.message(PEER, "p-" + seq).orElseThrow().text());
        }
        assertEquals("hi", again.message(PEER, "g-1").orElseThrow().text());
    }

    /**
     * A conversation object of a sync carries the peer's delivery and read marks: the own messages whose
     * state they move are told to the listeners like a receipt's (a reopened client's listener missed
     * them: its last event said SENT while the store said DELIVERED).
     */
    @Test
    public void marksInASyncedConversationTellTheListenersOfTheStatesTheyMove() {
        ChatStore s = open(temp.getRoot().toPath().resolve("marks"));
        s.conversationAnswer(direct());
        for (int i = 1; i <= 3; i++) {
            s.addOutgoing(CONV, "own-" + i, text("own " + i));
            s.accept("own-" + i, i, 10 + i);
        }
        List<String> heard = new ArrayList<>();
        listeners.add(new ChatListener() {
            @Override
            public void messageUpdated(org.m800.sdk.chat.Message m, org.m800.sdk.chat.MessageUpdate u) {
                heard.add(m.id() + "=" + m.state());
            }
        });
        s.syncConversation(new ChatWire.WireConversation(CONV, "direct", "", 3, 0L, List.of(
                new ChatWire.WireMember(ME, "member", 3, 3), new ChatWire.WireMember(PEER, "member", 2, 1))), 5, 200);
        assertEquals(List.of("own-1=READ", "own-2=DELIVERED"), heard);
        assertEquals(MessageState.DELIVERED, s.message("own-2").orElseThrow().state());
        assertEquals(MessageState.SENT, s.message("own-3").orElseThrow().state());
    }
}
