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
 * The writes the database's writer thread offers after a commit are taken up once the batch's
 * after-commit actions have all run (so each connection's frames of the batch leave together), in the
 * order offered: by the pool when work waits for the writer, by the writer itself when none does.
 * Writes offered by other threads reach the pool at once.
 */
public class SocketWritersTest {
    private final Database database = new Database("jdbc:h2:mem:" + UUID.randomUUID(), "", "");

    @After
    public void close() {
        database.close();
    }

    private SocketWriters writers(List<String> log) {
        return new SocketWriters(task -> {
            log.add("pool gets a write");
            task.run();
        }, database);
    }

    @Test
    public void withWorkWaitingTheWriterHandsItsWritesToThePoolAtTheEndOfItsBatchInOrder() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        SocketWriters writers = writers(log);
        CountDownLatch done = new CountDownLatch(1);
        assertTrue(database.submit(() -> {
            database.afterCommit(() -> writers.execute(() -> log.add("write 1")));
            database.afterCommit(() -> {
                log.add("after-commit 2");
                writers.execute(() -> log.add("write 2"));
                // work for the writer's next batch: it waits while this batch ends
                assertTrue(database.submit(() -> log.add("next batch")));
            });
            database.afterCommit(() -> {
                log.add("after-commit 3");
                database.atEndOfBatch(done::countDown); // after the writes' hand-over, registered before it
            });
        }));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        CountDownLatch next = new CountDownLatch(1);
        assertTrue(database.submit(next::countDown));
        assertTrue(next.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("after-commit 2", "after-commit 3", "pool gets a write", "write 1",
                "pool gets a write", "write 2", "next batch"), new ArrayList<>(log));
    }

    @Test
    public void withNothingWaitingTheWriterWritesItselfAtTheEndOfItsBatch() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        SocketWriters writers = writers(log);
        CountDownLatch done = new CountDownLatch(1);
        assertTrue(database.submit(() -> {
            database.afterCommit(() -> writers.execute(() -> log.add("write 1 on the writer "
                    + database.onWriterThread())));
            database.afterCommit(() -> {
                log.add("after-commit 2");
                database.atEndOfBatch(done::countDown);
            });
        }));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("after-commit 2", "write 1 on the writer true"), new ArrayList<>(log));
    }

    @Test
    public void otherThreadsWritesReachThePoolAtOnce() {
        List<String> log = new ArrayList<>();
        writers(log).execute(() -> log.add("write"));
        assertEquals(List.of("pool gets a write", "write"), log);
    }
}
