package org.m800.sdk.itest;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.chat.Message;

/**
 * The messages one {@link ChatListener} was told, in order, with a sync point. Loaded only once the
 * chat bundle is installed (the framework starts without the chat API).
 *
 * <p>The listener is told on the client's event threads, after the change was stored: a future of the
 * chat (such as {@code sync()}) may complete before the events of what it stored reach this inbox. Read
 * {@link #count}/{@link #ids} only after a sync point told through the same listener, such as
 * {@link #await} of a later message or {@link #awaitSynced}: deliveries to one listener keep their order.
 */
final class ChatInbox implements ChatListener {
    private final Recorder<Message> received;
    private final CountDownLatch synced = new CountDownLatch(1);
    private final String what;

    ChatInbox(String what) {
        received = new Recorder<>("message received by " + what);
        this.what = what;
    }

    @Override
    public void messageReceived(Message message) {
        received.accept(message);
    }

    @Override
    public void synced() {
        synced.countDown();
    }

    /**
     * Waits (at most {@link M800TestSupport#TIMEOUT_S}) until the listener was told that the first sync
     * finished: every message that sync stored was told before.
     */
    void awaitSynced() throws InterruptedException {
        if (!synced.await(M800TestSupport.TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new AssertionError(what + " was not told synced() within " + M800TestSupport.TIMEOUT_S
                    + " s; messages told: " + ids());
        }
    }

    /** Waits (at most {@link M800TestSupport#TIMEOUT_S}) for the message with that id, told at or after the mark. */
    Message await(int mark, String id) throws InterruptedException {
        return received.await(mark, "with id " + id, m -> m.id().equals(id), M800TestSupport.TIMEOUT_S).value();
    }

    /** @return how many times the message with that id was told */
    long count(String id) {
        return received.valuesSince(0).stream().filter(m -> m.id().equals(id)).count();
    }

    /** @return the ids of the messages told, in order */
    List<String> ids() {
        return received.valuesSince(0).stream().map(Message::id).collect(Collectors.toList());
    }
}
