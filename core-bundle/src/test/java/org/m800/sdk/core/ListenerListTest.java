package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.After;
import org.junit.Test;

/** {@link ListenerList}: order, the delivery thread, throwing listeners, subscriptions, clear. */
public class ListenerListTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-events"));
    private final ListenerList<Consumer<String>> list = new ListenerList<>(executor, "test listener");

    @After
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Waits until every delivery queued so far ran (the executor is serial). */
    private void drain() throws Exception {
        executor.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    /** Keeps the executor busy until the latch is counted down. */
    private CountDownLatch holdExecutor() {
        CountDownLatch hold = new CountDownLatch(1);
        executor.execute(() -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return hold;
    }

    private static void emit(ListenerList<Consumer<String>> list, String event) {
        list.emit(l -> l.accept(event));
    }

    @Test
    public void listenersGetEventsInOrderOnTheExecutorNotTheCaller() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        list.add(seen::add);
        list.add(e -> threads.add(Thread.currentThread().getName()));
        for (int i = 0; i < 100; i++) {
            emit(list, "e" + i);
        }
        drain();
        assertEquals(100, seen.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("e" + i, seen.get(i));
        }
        assertEquals(100, threads.size());
        assertTrue(threads.stream().allMatch("test-events"::equals));
    }

    @Test
    public void aThrowingListenerIsSurvivedAndTheNextStillCalled() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> last = new CopyOnWriteArrayList<>();
        list.add(first::add);
        list.add(e -> {
            throw new IllegalStateException("a listener's bug (expected in this test)");
        });
        list.add(last::add);
        emit(list, "one");
        emit(list, "two");
        drain();
        assertEquals(List.of("one", "two"), first);
        assertEquals(List.of("one", "two"), last);
    }

    @Test
    public void aListenerGetsWhatIsEmittedAfterAddAndNothingBefore() throws Exception {
        List<String> early = new CopyOnWriteArrayList<>();
        list.add(early::add);
        emit(list, "before");
        List<String> late = new CopyOnWriteArrayList<>();
        list.add(late::add);
        emit(list, "after");
        drain();
        assertEquals(List.of("before", "after"), early);
        assertEquals(List.of("after"), late);
    }

    @Test
    public void aClosedSubscriptionGetsNothingEvenWhatWasQueued() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription s = list.add(seen::add);
        // the delivery is still queued when the subscription closes
        CountDownLatch hold = holdExecutor();
        emit(list, "queued");
        s.close();
        s.close(); // idempotent
        hold.countDown();
        drain();
        assertEquals(List.of(), seen);
        assertTrue(list.isEmpty());
    }

    @Test
    public void clearDeliversWhatWasEmittedBeforeItAndNothingAfter() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        list.add(seen::add);
        // the event threads are behind: the delivery is still queued when the manager closes
        CountDownLatch hold = holdExecutor();
        emit(list, "ended, emitted before clear");
        list.clear();
        emit(list, "after clear");
        hold.countDown();
        List<String> late = new CopyOnWriteArrayList<>();
        Subscription never = list.add(late::add);
        emit(list, "after a late add");
        never.close();
        drain();
        assertEquals(List.of("ended, emitted before clear"), seen);
        assertEquals(List.of(), late);
        assertTrue(list.listeners().isEmpty());
    }

    @Test
    public void aSubscriptionClosedAfterClearStillStopsItsQueuedDelivery() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription s = list.add(seen::add);
        CountDownLatch hold = holdExecutor();
        emit(list, "queued");
        list.clear();
        s.close();
        hold.countDown();
        drain();
        assertEquals(List.of(), seen);
    }

    @Test
    public void aNullListenerIsAnInvalidArgument() {
        M800Exception e = assertThrows(M800Exception.class, () -> list.add(null));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }
}
