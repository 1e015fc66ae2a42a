package org.m800.sdk.file.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A module's listeners, called in order on the client's event executor; one that throws is logged and
 * the others still run. (The seam where core API 1.2's listener list goes once it exists.)
 */
final class Listeners<L> {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<L> list = new CopyOnWriteArrayList<>();
    private final Executor events;

    Listeners(Executor events) {
        this.events = events;
    }

    Subscription add(L listener) {
        if (listener == null) {
            return () -> {
            };
        }
        list.add(listener);
        return () -> list.remove(listener);
    }

    /** Calls every listener later, on the event executor; dropped if the executor refuses (stopping). */
    void emit(Consumer<L> call) {
        if (list.isEmpty()) {
            return;
        }
        try {
            events.execute(() -> {
                for (L l : list) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        LOG.warn("a file listener threw", e);
                    }
                }
            });
        } catch (RuntimeException rejected) {
            LOG.debug("file event not delivered: {}", rejected.toString());
        }
    }

    void clear() {
        list.clear();
    }
}
