package org.m800.sdk.call.internal.media.engine;

/**
 * A session's playout clock: when the next 20 ms frame goes from the jitter buffer to the sink, in
 * {@link System#nanoTime()}. Its phase follows the packets' arrival, so that a frame waits for its tick as
 * little as the network's jitter allows:
 * <ul>
 * <li>when an idle jitter buffer can start, the clock moves to now: the first frame is played when it
 * arrives ({@link #startNow});</li>
 * <li>for each packet that the next tick plays (nothing else waiting before it), the clock notes how long
 * before its tick it arrived (its slack). Once a second, if every such packet of that second had more slack
 * than a margin of 4 ms (the tick thread may run a tick up to 2 ms early) plus half the jitter buffer's
 * delay variation, the clock moves earlier by the surplus ({@link #arrived}). This is how the delay an
 * underrun added (a late packet waits almost a whole tick once its stand-in was played) is given back,
 * rather than kept for the rest of the call; like the jitter buffer's dropping of a surplus frame, the
 * sink then gets one frame early once.</li>
 * </ul>
 * Guarded by the session's lock.
 */
final class PlayoutClock {

    static final long PERIOD_NANOS = 20_000_000L;
    /** How far the clock may fall behind (a starved or paused JVM) before it skips instead of catching up. */
    private static final long MAX_BEHIND_PERIODS = 5;
    /** Packets whose slack is noted before the clock may move. */
    static final int WINDOW = 50;
    /** The least slack kept: the tick thread's own earliness (2 ms) and 2 ms for the scheduler. */
    static final long MARGIN_NANOS = 4_000_000L;
    /** Moves smaller than this are not worth a discontinuity. */
    private static final long LEAST_MOVE_NANOS = 2_000_000L;

    private long due;
    private long minSlack = Long.MAX_VALUE;
    private int noted;
    private long moved;

    /** Starts the clock: the first tick is due now. */
    void start(long nowNanos) {
        due = nowNanos;
        forget();
    }

    /** @return when the next frame is due */
    long due() {
        return due;
    }

    /** A tick played a frame: the next is one period later (after a stall, the clock skips what lies far behind). */
    void advance(long nowNanos) {
        long behind = Math.max(0, nowNanos - due) / PERIOD_NANOS;
        if (behind > MAX_BEHIND_PERIODS) {
            due += behind * PERIOD_NANOS;
        }
        due += PERIOD_NANOS;
    }

    /**
     * An idle jitter buffer can start playing.
     *
     * @return whether the clock moved to now (the caller wakes the tick thread)
     */
    boolean startNow(long nowNanos) {
        forget();
        if (due - nowNanos > 0) {
            due = nowNanos;
            return true;
        }
        return false;
    }

    /**
     * A packet arrived that the next tick plays.
     *
     * @param spreadMs the jitter buffer's delay variation (ms): the more the arrivals vary, the more slack is kept
     * @return whether the clock moved earlier (the caller wakes the tick thread)
     */
    boolean arrived(long nowNanos, int spreadMs) {
        minSlack = Math.min(minSlack, due - nowNanos);
        if (++noted < WINDOW) {
            return false;
        }
        long surplus = minSlack - MARGIN_NANOS - spreadMs * 500_000L;
        forget();
        if (surplus < LEAST_MOVE_NANOS) {
            return false;
        }
        due -= surplus;
        moved += surplus;
        return true;
    }

    /** @return how far the clock was moved earlier so far, in nanoseconds */
    long movedNanos() {
        return moved;
    }

    private void forget() {
        minSlack = Long.MAX_VALUE;
        noted = 0;
    }
}
