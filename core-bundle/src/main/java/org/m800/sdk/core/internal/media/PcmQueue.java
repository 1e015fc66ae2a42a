package org.m800.sdk.core.internal.media;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.m800.sdk.media.PullAudioSink;
import org.m800.sdk.media.PushAudioSource;

/**
 * A bounded ring of PCM samples between an application thread and the media thread; the media side never
 * waits. As a {@link PushAudioSource} the application pushes (refused when full) and the media thread reads
 * (silence when empty); as a {@link PullAudioSink} the media thread writes (the oldest dropped when full)
 * and the application pulls (waiting up to a timeout).
 */
final class PcmQueue implements PushAudioSource, PullAudioSink {

    private final int rate;
    private final short[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private int head;
    private int size;
    private long dropped;
    private boolean finished;
    private boolean closed;

    PcmQueue(int rate, int capacityMillis) {
        this.rate = Rates.check(rate);
        ring = new short[(int) ((long) rate * Rates.checkCapacity(capacityMillis) / 1000)];
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public int push(short[] samples, int offset, int length) {
        lock.lock();
        try {
            if (closed || finished) {
                return 0;
            }
            int n = Math.min(length, ring.length - size);
            for (int i = 0; i < n; i++) {
                ring[(head + size + i) % ring.length] = samples[offset + i];
            }
            size += n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int queuedMillis() {
        lock.lock();
        try {
            return (int) ((long) size * 1000 / rate);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void finish() {
        lock.lock();
        try {
            finished = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean read(short[] frame) {
        lock.lock();
        try {
            int n = Math.min(frame.length, size);
            take(frame, 0, n);
            Arrays.fill(frame, n, frame.length, (short) 0);
            return !(finished && size == 0 && n == 0);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(short[] frame) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            int overflow = size + frame.length - ring.length;
            if (overflow > 0) {
                head = (head + overflow) % ring.length;
                size -= overflow;
                dropped += overflow;
            }
            for (int i = 0; i < frame.length; i++) {
                ring[(head + size + i) % ring.length] = frame[i];
            }
            size += frame.length;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int pull(short[] into, int offset, int length, long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long left = unit.toNanos(timeout);
            while (size == 0) {
                if (closed) {
                    return -1;
                }
                if (left <= 0) {
                    return 0;
                }
                left = available.awaitNanos(left);
            }
            int n = Math.min(length, size);
            take(into, offset, n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    private void take(short[] into, int offset, int n) {
        for (int i = 0; i < n; i++) {
            into[offset + i] = ring[(head + i) % ring.length];
        }
        head = (head + n) % ring.length;
        size -= n;
    }

    @Override
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
