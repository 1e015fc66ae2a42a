package org.m800.sdk.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.Message;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;

/**
 * The store's journal: a group of changes leaves in one write, groups nest (a run of incoming events
 * handed to {@link ChatStore#batch} is one write), and the listeners hear of a group's changes only once
 * they are written.
 */
public class StoreJournalTest {
    private static final String ME = "u-me";
    private static final String PEER = "u-peer";
    private static final String CONV = "d-1";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1);
    /** The listeners' deliveries, run by the test when it wants: what was emitted and when. */
    private final Queue<Runnable> emitted = new ArrayDeque<>();
    private final ListenerList<ChatListener> listeners = new ListenerList<>(emitted::add, "test chat listener");
    private final List<String> heard = new ArrayList<>();
    private ChatStore store;

    @After
    public void closeAll() throws InterruptedException {
        if (store != null) {
            store.close();
        }
        scheduler.shutdownNow();
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
    }

    private ChatStore open(Path dir) {
        store = ChatStore.open(dir, ME, scheduler, Runnable::run, listeners);
        listeners.add(new ChatListener() {
            @Override
            public void messageReceived(Message m) {
                heard.add(m.id());
            }
        });
        store.conversationAnswer(new ChatWire.WireConversation(CONV, "direct", "", 0, 0L, List.of(
                new ChatWire.WireMember(ME, "member", 0, 0), new ChatWire.WireMember(PEER, "member", 0, 0))));
        runEmitted();
        return store;
    }

    private void runEmitted() {
        for (Runnable r; (r = emitted.poll()) != null;) {
            r.run();
        }
    }

    private static ChatWire.WireMessage fromPeer(long seq) {
        return new ChatWire.WireMessage("p-" + seq, CONV, PEER, "direct", seq, 1_000 + seq,
                Map.of("kind", "text", "text", "hello " + seq), 0, Map.of());
    }

    @Test
    public void aBatchOfIncomingMessagesIsOneWriteAndIsHeardOnlyAfterIt() {
        Path dir = temp.getRoot().toPath().resolve("batch");
        ChatStore s = open(dir);
        int before = s.logWrites();
        s.batch(() -> {
            for (long seq = 1; seq <= 20; seq++) {
                s.incoming(fromPeer(seq));
            }
            assertEquals("nothing written while the batch runs", before, s.logWrites());
            assertTrue("nothing told while the batch runs", emitted.isEmpty());
        });
        assertEquals("20 messages of one batch, one write", before + 1, s.logWrites());
        runEmitted();
        assertEquals(20, heard.size());
        assertEquals("p-1", heard.get(0));
        assertEquals("p-20", heard.get(19));
        s.close();
        ChatStore again = open(dir);
        for (long seq = 1; seq <= 20; seq++) {
            assertEquals("hello " + seq, again.message(PEER, "p-" + seq).orElseThrow().text());
        }
    }

    @Test
    public void outsideABatchEachChangeIsWrittenAndToldAtOnce() {
        ChatStore s = open(temp.getRoot().toPath().resolve("single"));
        int before = s.logWrites();
        s.incoming(fromPeer(1));
        assertEquals(before + 1, s.logWrites());
        assertEquals(1, emitted.size());
        s.incoming(fromPeer(2));
        assertEquals(before + 2, s.logWrites());
        runEmitted();
        assertEquals(List.of("p-1", "p-2"), heard);
    }

    @Test
    public void aChangeThatThrowsInABatchDoesNotLoseTheOthersWrites() {
        Path dir = temp.getRoot().toPath().resolve("throws");
        ChatStore s = open(dir);
        try {
            s.batch(() -> {
                s.incoming(fromPeer(1));
                s.markRead("no-such-conversation");
            });
            fail("markRead of an unknown conversation must fail");
        } catch (M800Exception e) {
            assertEquals(ErrorCode.NOT_FOUND, e.code());
        }
        runEmitted();
        assertEquals("the message applied before the failure is told", List.of("p-1"), heard);
        s.close();
        assertEquals("hello 1", open(dir).message(PEER, "p-1").orElseThrow().text());
    }

    @Test
    public void aClosedStoreRefusesABatch() {
        ChatStore s = open(temp.getRoot().toPath().resolve("closed"));
        s.close();
        try {
            s.batch(() -> s.incoming(fromPeer(1)));
            fail("a closed store must refuse a batch");
        } catch (M800Exception e) {
            assertEquals(ErrorCode.CLOSED, e.code());
        }
    }
}
