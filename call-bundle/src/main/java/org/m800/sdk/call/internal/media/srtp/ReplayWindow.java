package org.m800.sdk.call.internal.media.srtp;

/**
 * The sliding replay list of RFC 3711 3.3.2: a packet whose index is older than the window, or that was
 * already accepted, is refused. A window of 128 packets (2.5 s of 20 ms audio), more than the 64 the RFC
 * requires at least, so that a jitter buffer's reordering never looks like a replay. Not thread-safe.
 */
final class ReplayWindow {

    private static final int SIZE = 128;

    private long highest = -1;
    /** bit i of the pair: index {@code highest - i} was seen. */
    private long low;
    private long high;

    /** @return whether {@code index} is new, without recording it (the packet is not yet authenticated) */
    boolean isFresh(long index) {
        if (highest < 0 || index > highest) {
            return true;
        }
        long age = highest - index;
        if (age >= SIZE) {
            return false;
        }
        return !bit(age);
    }

    /** Forgets every index (a new stream). */
    void reset() {
        highest = -1;
        low = 0;
        high = 0;
    }

    /** Records an authenticated packet's index. */
    void accept(long index) {
        if (highest < 0) {
            highest = index;
            low = 1;
            high = 0;
            return;
        }
        if (index > highest) {
            shift(index - highest);
            highest = index;
            low |= 1;
        } else {
            long age = highest - index;
            if (age < 64) {
                low |= 1L << age;
            } else if (age < SIZE) {
                high |= 1L << (age - 64);
            }
        }
    }

    private boolean bit(long age) {
        return age < 64 ? (low & (1L << age)) != 0 : (high & (1L << (age - 64))) != 0;
    }

    private void shift(long n) {
        if (n >= SIZE) {
            low = 0;
            high = 0;
        } else if (n >= 64) {
            high = low << (n - 64);
            low = 0;
        } else {
            high = (high << n) | (low >>> (64 - n));
            low <<= n;
        }
    }
}
