package org.m800.sdk.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

/** Records a client's events as lines, and module closes, for tests to wait on. */
final class Recorder {

    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<String> closed = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());

    void listen(Client client) {
        // subscribed in this order so that the catch-up of a ready client reads like the live sequence
        client.on(ClientEvent.FEATURE_UNAVAILABLE, f -> add("FEATURE_UNAVAILABLE " + f));
        client.on(ClientEvent.FEATURE_READY, f -> add("FEATURE_READY " + f));
        client.on(ClientEvent.READY, c -> add("READY"));
        client.on(ClientEvent.ERROR, e -> add("ERROR " + e.code() + " " + e.getMessage()));
    }

    private void add(String line) {
        threads.add(Thread.currentThread().getName());
        events.add(line);
    }

    /** Waits for the next event and checks that it starts with the expected text. */
    String expect(String prefix) throws InterruptedException {
        String next = events.poll(10, TimeUnit.SECONDS);
        assertNotNull("no event within 10 s; expected " + prefix, next);
        if (!next.startsWith(prefix)) {
            assertEquals(prefix, next);
        }
        return next;
    }

    /** A module whose instance records its own close. */
    ModuleDefinition module(String name, String... deps) {
        return ModuleDefinition.of(name, List.of(deps), ctx -> new Instance(name + "#" + ctx.clientId(), ctx.dependencies()));
    }

    final class Instance implements AutoCloseable {
        final String label;
        final List<Object> deps;

        Instance(String label, List<Object> deps) {
            this.label = label;
            this.deps = deps;
        }

        @Override
        public void close() {
            closed.add(label);
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
