package org.m800.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test moves: either the system clock plus an offset ({@link #system()}, for a running
 * server whose other timers must keep going), or a clock that stands still until moved
 * ({@link #fixed}, for unit tests of limits). Thread-safe.
 */
public final class TestClock extends Clock {
    private final boolean followsSystem;
    private final AtomicLong millis;

    private TestClock(boolean followsSystem, long start) {
        this.followsSystem = followsSystem;
        this.millis = new AtomicLong(start);
    }

    /** @return the system clock, plus what {@link #advance} adds */
    public static TestClock system() {
        return new TestClock(true, 0);
    }

    /** @return a clock at {@code startMillis} (epoch) that moves only when told */
    public static TestClock fixed(long startMillis) {
        return new TestClock(false, startMillis);
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration d) {
        advanceMillis(d.toMillis());
    }

    /** Moves the clock forward (or back, with a negative amount). */
    public void advanceMillis(long ms) {
        millis.addAndGet(ms);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return followsSystem ? System.currentTimeMillis() + millis.get() : millis.get();
    }
}
