package org.m800.sdk.core.internal.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * One thread, shared by every client of the core feature, that does the writes which force data to
 * disk, in submission order. It keeps a slow disk off the event threads: a sync can take tens of
 * milliseconds, and the event threads serve every client. The thread ends when idle.
 */
public final class DiskQueue implements AutoCloseable {

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "m800-disk");
                t.setDaemon(true);
                return t;
            });

    public DiskQueue() {
        executor.allowCoreThreadTimeOut(true);
    }

    /** Runs the write after every write submitted before it; the future fails with the write's exception. */
    public CompletableFuture<Void> submit(Runnable write) {
        try {
            return CompletableFuture.runAsync(write, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new M800Exception(ErrorCode.ILLEGAL_STATE,
                    "the SDK is stopping; nothing more is written"));
        }
    }

    /** Finishes the queued writes (a few seconds at most) and stops the thread. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
