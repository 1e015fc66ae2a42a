package org.m800.sdk.contacts.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;
import org.m800.sdk.testing.MemoryStorage;

/** {@link CopyWriter}: a change that comes while the manager closes is still written. */
public class CopyWriterTest {

    private final MemoryStorage storage = new MemoryStorage();
    private final Map<String, byte[]> kept = storage.map();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "test-scheduler"));
    private final ExecutorService disk = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-disk"));

    @After
    public void stop() throws InterruptedException {
        scheduler.shutdownNow();
        disk.shutdownNow();
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(disk.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    public void aChangeThatComesWhileTheCloseWritesIsWrittenToo() {
        AtomicInteger version = new AtomicInteger(1);
        CopyWriter[] writer = new CopyWriter[1];
        writer[0] = new CopyWriter("c1", storage, scheduler, disk, () -> {
            int v = version.get();
            if (v == 1) {
                // an event thread changes the book while close() takes its copy (forced here, on this thread)
                version.set(2);
                writer[0].changed();
            }
            return new CopyWriter.Snapshot("contacts", ("version " + v).getBytes(StandardCharsets.UTF_8));
        });
        writer[0].changed();
        writer[0].close();
        assertArrayEquals("the change made during the close was not written", "version 2".getBytes(StandardCharsets.UTF_8),
                kept.get("contacts"));
    }
}
