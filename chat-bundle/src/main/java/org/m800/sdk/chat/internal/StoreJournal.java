package org.m800.sdk.chat.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.m800.sdk.chat.ChatListener;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;

/**
 * How a {@link ChatStore}'s changes become durable and then heard: its {@link ChatLog} (opened by
 * replaying it into a {@link ChatIndex}, compacted when mostly dead), and the grouping of a change's
 * records into one write.
 *
 * <p>A group ({@link #grouped}) collects the records written while it runs and writes them with one
 * {@code write} when the outermost group ends; groups nest, so a run of incoming events handed to
 * {@link ChatStore#batch} costs one write however many messages it holds. The listeners' events of a
 * group are held until its write returned: a listener never hears of a change that a crash of the JVM
 * could still lose. Outside a group a record is written at once and an event emitted at once (after
 * the record, as the changes write before they tell).
 *
 * <p>Not thread-safe: used only under its {@link ChatStore}'s monitor.
 */
final class StoreJournal implements AutoCloseable {

    /** Records above which a log with mostly dead records is compacted on open. */
    static final int COMPACT_ABOVE = 10_000;

    private final String userId;
    private final ListenerList<ChatListener> listeners;
    private ChatLog log;
    /** How deep the running groups nest; 0: none runs. */
    private int depth;
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final List<Consumer<? super ChatListener>> held = new ArrayList<>();

    private StoreJournal(String userId, ListenerList<ChatListener> listeners) {
        this.userId = userId;
        this.listeners = listeners;
    }

    /**
     * Opens the log in the folder, replays it into the index and compacts it when it holds more than
     * {@value #COMPACT_ABOVE} records and twice as many as live objects. Blocking disk work.
     *
     * @throws M800Exception ILLEGAL_STATE if the folder cannot be used
     */
    static StoreJournal open(Path dir, ChatIndex index, ScheduledExecutorService scheduler, Executor disk,
            ListenerList<ChatListener> listeners) {
        StoreJournal j = new StoreJournal(index.userId, listeners);
        j.log = ChatLog.open(dir, scheduler, disk, index::replay);
        int live = index.size();
        if (j.log.records() > COMPACT_ABOVE && j.log.records() > 2 * live) {
            j.log.rewrite(StoreRecords.all(index.all()));
        }
        return j;
    }

    /** Writes a record: now, or with the running group. */
    void write(Map<String, Object> record) {
        ChatLog l = log();
        if (depth > 0) {
            records.add(record);
        } else {
            l.append(record);
        }
    }

    /** Tells the listeners of a change: now, or once the running group's records are written. */
    void tell(Consumer<? super ChatListener> event) {
        if (depth > 0) {
            held.add(event);
        } else {
            listeners.emit(event);
        }
    }

    /**
     * Runs an operation whose records leave in one write, joining the running group if there is one.
     * The outermost group writes what its operations wrote even when one of them threw (memory holds
     * their changes, so the file should too), then emits the events it held.
     */
    <T> T grouped(Supplier<T> operation) {
        log();
        depth++;
        try {
            return operation.get();
        } finally {
            if (--depth == 0) {
                flush();
            }
        }
    }

    private void flush() {
        List<Map<String, Object>> batch = List.copyOf(records);
        List<Consumer<? super ChatListener>> events = List.copyOf(held);
        records.clear();
        held.clear();
        try {
            if (log != null) {
                log.appendAll(batch);
            }
        } finally {
            events.forEach(listeners::emit);
        }
    }

    private ChatLog log() {
        if (log == null) {
            throw new M800Exception(ErrorCode.CLOSED, "the chat store of user " + userId + " is closed");
        }
        return log;
    }

    /** @return how many writes of the log were made since it was opened (tests) */
    int writes() {
        return log().writes();
    }

    /** @return how many times the log was forced to the disk since it was opened (tests) */
    int forces() {
        return log().forces();
    }

    boolean isClosed() {
        return log == null;
    }

    /** Forces and closes the file; later writes fail with CLOSED. Idempotent. */
    @Override
    public void close() {
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
