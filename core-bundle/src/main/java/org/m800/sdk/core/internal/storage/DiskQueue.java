package org.m800.sdk.core.internal.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * One thread, shared by every client of an SDK instance (it is their
 * {@link org.m800.sdk.core.ModuleContext#diskExecutor()}), that does the writes which force data to
 * disk, in submission order. It keeps a slow disk off the event threads: a sync can take tens of
 * milliseconds, and the event threads serve every client. The thread ends when idle.
 */
public final class DiskQueue implements Executor, AutoCloseable {

    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "m800-disk");
                t.setDaemon(true);
                return t;
            });

    public DiskQueue() {
        executor.allowCoreThreadTimeOut(true);
    }

    /** @throws RejectedExecutionException once closed */
    @Override
    public void execute(Runnable write) {
        executor.execute(write);
    }

    /**
     * Runs the write on {@code disk} after every write submitted before it.
     *
     * @return a future that fails with the write's exception, or ILLEGAL_STATE if the disk thread is
     *         stopped
     */
    public static CompletableFuture<Void> submit(Executor disk, Runnable write) {
        try {
            return CompletableFuture.runAsync(write, disk);
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
