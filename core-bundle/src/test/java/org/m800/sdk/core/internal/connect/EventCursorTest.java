package org.m800.sdk.core.internal.connect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.testing.MemoryStorage;

/**
 * The event cursor: runs of events delivered inside the run wrappers and acknowledged after them, and
 * the own events a version 2 connection does not get (their seqs come in answers) passed only when
 * every seq below them is covered.
 */
public class EventCursorTest {
    private static final String KEY = "connect.cursor.test";

    private final Object lock = new Object();
    private final MemoryStorage storage = new MemoryStorage();
    /** The cursor's storage: a map (the cursor reads and writes one key). */
    private final Map<String, byte[]> stored = storage.map();
    /** The client's event executor, run by the test: what is queued and when it runs. */
    private final Queue<Runnable> eventThread = new ArrayDeque<>();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final BlockingQueue<Long> acks = new LinkedBlockingQueue<>();
    private final List<String> heard = new ArrayList<>();
    private EventCursor cursor;

    @Before
    public void open() {
        cursor = new EventCursor(lock, "c-test", storage, Runnable::run, eventThread::add, scheduler,
                e -> heard.add("error " + e.getMessage()), acks::add);
        cursor.addListener(e -> heard.add("#" + e.seq()));
        synchronized (lock) {
            cursor.select(KEY);
        }
        assertTrue(cursor.loaded().isDone());
    }

    @After
    public void close() throws InterruptedException {
        scheduler.shutdownNow();
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static ServerEvent event(long seq) {
        return new ServerEvent(seq, "chat.message", 0, Map.of());
    }

    private void receive(long... seqs) {
        synchronized (lock) {
            for (long seq : seqs) {
                cursor.received(event(seq), true);
            }
        }
    }

    private void withheld(long seq) {
        synchronized (lock) {
            cursor.withheld(seq);
        }
    }

    private long resumeFrom() {
        synchronized (lock) {
            return cursor.resumeFrom();
        }
    }

    private void runEventThread() {
        for (Runnable r; (r = eventThread.poll()) != null;) {
            r.run();
        }
    }

    /** @return the newest ack sent once the cursor write ran (it waits a few ms to gather runs) */
    private long awaitAck(long seq) throws InterruptedException {
        long last = -1;
        while (last != seq) {
            Long next = acks.poll(10, TimeUnit.SECONDS);
            assertTrue("no ack of " + seq + " within 10 s (last " + last + ")", next != null);
            last = next;
        }
        return last;
    }

    @Test
    public void theEventsQueuedTogetherAreOneRunInsideTheWrapperAndAcknowledgedAfterIt() throws Exception {
        List<Integer> runs = new ArrayList<>();
        cursor.addRunWrapper(run -> {
            int before = heard.size();
            heard.add("begin");
            run.run();
            runs.add(heard.size() - before - 1);
            assertTrue("nothing acknowledged before the wrapper returned", acks.isEmpty());
            heard.add("end");
        });
        receive(1, 2, 3, 4, 5);
        assertTrue("nothing delivered on the receiving thread", heard.isEmpty());
        runEventThread();
        assertEquals(List.of("begin", "#1", "#2", "#3", "#4", "#5", "end"), heard);
        assertEquals(List.of(5), runs);
        assertEquals(5, awaitAck(5));
        assertEquals(5, cursor.lastDelivered());
        assertEquals("5", new String(stored.get(KEY), StandardCharsets.US_ASCII));
    }

    @Test
    public void aLongQueueIsDeliveredInRunsOfAtMostMaxRun() {
        List<Integer> runs = new ArrayList<>();
        cursor.addRunWrapper(run -> {
            int before = heard.size();
            run.run();
            runs.add(heard.size() - before);
        });
        for (long seq = 1; seq <= EventCursor.MAX_RUN + 10; seq++) {
            receive(seq);
        }
        runEventThread();
        assertEquals(List.of(EventCursor.MAX_RUN, 10), runs);
        assertEquals(EventCursor.MAX_RUN + 10, cursor.lastDelivered());
    }

    @Test
    public void aWrapperThatDoesNotRunItsRunDoesNotLoseIt() {
        cursor.addRunWrapper(run -> {
            throw new IllegalStateException("a broken wrapper");
        });
        receive(1, 2);
        runEventThread();
        assertEquals(List.of("#1", "#2"), heard);
        assertEquals(2, cursor.lastDelivered());
    }

    @Test
    public void anOwnWithheldSeqIsPassedOnlyOnceEverySeqBelowItIsCovered() throws Exception {
        receive(1);
        withheld(3); // 2 is someone else's event still on its way: no skipping it
        assertEquals(1, resumeFrom());
        receive(2);
        assertEquals("2 arrived, so the withheld 3 is passed too", 3, resumeFrom());
        withheld(4);
        withheld(5);
        assertEquals(5, resumeFrom());
        withheld(8); // answered before 6 and 7 arrived
        receive(7); // 6 was withheld too (its answer is late): 7 arriving in order says so
        assertEquals(8, resumeFrom());
        withheld(6); // the late answer: below the cursor, nothing to do
        assertEquals(8, resumeFrom());
        runEventThread();
        assertEquals("only the events that arrived are delivered", List.of("#1", "#2", "#7"), heard);
        assertEquals(8, cursor.lastDelivered());
        assertEquals(8, awaitAck(8));
        assertEquals("8", new String(stored.get(KEY), StandardCharsets.US_ASCII));
    }

    @Test
    public void anEventAtAWithheldSeqIsNotDeliveredTwice() {
        withheld(1);
        receive(1, 2);
        runEventThread();
        assertEquals(List.of("#2"), heard);
        assertEquals(2, cursor.lastDelivered());
    }

    @Test
    public void onlyTheAnswerToChatSendOnVersionTwoNamesAWithheldEvent() {
        Map<String, Object> answer = Map.of("type", "response", "id", "c-1", "data", Map.of("seq", 4, "eventSeq", 1));
        synchronized (lock) {
            cursor.answered("chat.send", 1, answer);
            cursor.answered("chat.edit", 2, answer); // its event does come to this connection
        }
        assertEquals(0, resumeFrom());
        synchronized (lock) {
            cursor.answered("chat.send", 2, Map.of("type", "response", "id", "c-2", "data", Map.of("seq", 4)));
        }
        assertEquals(0, resumeFrom());
        synchronized (lock) {
            cursor.answered("chat.send", 2, answer);
        }
        assertEquals(1, resumeFrom());
        runEventThread();
        assertTrue(heard.isEmpty());
        assertEquals(1, cursor.lastDelivered());
    }

    @Test
    public void missedEventsAreToldBetweenTheEventsBeforeAndAfter() {
        cursor.addMissedListener(() -> heard.add("missed"));
        receive(1);
        synchronized (lock) {
            cursor.eventsMissed();
        }
        receive(40);
        runEventThread();
        assertEquals(List.of("#1", "missed", "#40"), heard);
        assertNull("no error", heard.stream().filter(h -> h.startsWith("error")).findFirst().orElse(null));
    }
}
