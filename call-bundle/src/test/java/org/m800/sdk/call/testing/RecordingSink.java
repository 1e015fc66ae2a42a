package org.m800.sdk.call.testing;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.m800.sdk.media.AudioSink;

/** A test sink that records everything written to it and lets a test wait for the next stretch of audio. */
public final class RecordingSink implements AudioSink {

    private final int rate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition more = lock.newCondition();
    private short[] samples = new short[48000];
    private int count;
    private volatile boolean closed;

    public RecordingSink(int rate) {
        this.rate = rate;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public void write(short[] frame) {
        lock.lock();
        try {
            if (count + frame.length > samples.length) {
                samples = Arrays.copyOf(samples, Math.max(samples.length * 2, count + frame.length));
            }
            System.arraycopy(frame, 0, samples, count, frame.length);
            count += frame.length;
            more.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** @return samples recorded so far */
    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the next {@code millis} of audio written from now on.
     *
     * @throws AssertionError if it does not come within {@code timeoutSeconds}
     */
    public short[] next(int millis, long timeoutSeconds) throws InterruptedException {
        int wanted = rate * millis / 1000;
        lock.lock();
        try {
            int from = count;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (count - from < wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the sink got " + (count - from) + " of " + wanted + " samples in "
                            + timeoutSeconds + " s");
                }
                more.awaitNanos(left);
            }
            return Arrays.copyOfRange(samples, from, from + wanted);
        } finally {
            lock.unlock();
        }
    }

    /** @return everything recorded */
    public short[] all() {
        lock.lock();
        try {
            return Arrays.copyOf(samples, count);
        } finally {
            lock.unlock();
        }
    }
}
