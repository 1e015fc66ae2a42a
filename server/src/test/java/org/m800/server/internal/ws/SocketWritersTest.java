package org.m800.server.internal.ws;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import org.m800.server.internal.db.Database;

/**
 * The writes the database's writer thread offers after a commit reach the pool once the batch's
 * after-commit actions have all run (so each connection's frames of the batch leave together), in the
 * order offered; writes offered by other threads reach it at once.
 */
public class SocketWritersTest {
    private final Database database = new Database("jdbc:h2:mem:" + UUID.randomUUID(), "", "");

    @After
    public void close() {
        database.close();
    }

    @Test
    public void theWriterThreadsWritesReachThePoolAtTheEndOfItsBatchInOrder() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        SocketWriters writers = new SocketWriters(task -> {
            log.add("pool gets a write");
            task.run();
        }, database);
        CountDownLatch done = new CountDownLatch(1);
        assertTrue(database.submit(() -> {
            database.afterCommit(() -> writers.execute(() -> log.add("write 1")));
            database.afterCommit(() -> {
                log.add("after-commit 2");
                writers.execute(() -> log.add("write 2"));
            });
            database.afterCommit(() -> {
                log.add("after-commit 3");
                database.atEndOfBatch(done::countDown); // after the writes' hand-over, registered before it
            });
        }));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("after-commit 2", "after-commit 3", "pool gets a write", "write 1",
                "pool gets a write", "write 2"), new ArrayList<>(log));
    }

    @Test
    public void otherThreadsWritesReachThePoolAtOnce() {
        List<String> log = new ArrayList<>();
        SocketWriters writers = new SocketWriters(task -> {
            log.add("pool");
            task.run();
        }, database);
        writers.execute(() -> log.add("write"));
        assertEquals(List.of("pool", "write"), log);
    }
}
