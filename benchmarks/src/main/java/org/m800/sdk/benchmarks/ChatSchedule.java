package org.m800.sdk.benchmarks;

/**
 * What W1/W2 and their ceiling W7b share, in a class of its own so that W7b's clients load no chat class
 * (their JVM has no chat bundle on its class path).
 */
final class ChatSchedule {

    /** Messages not yet at their receiver, at most, over all pairs. */
    static final int IN_FLIGHT = 1_000;
    /** Unmeasured bursts of W1 before the measured ones. */
    static final int WARM_UP_BURSTS = 3;
    /** Unmeasured messages of W2 before the measured ones. */
    static final int W2_WARM_UP = 5_000;
    /** The text of every message. */
    static final String BODY = "x".repeat(96);
    /** The exit status of a child whose check failed. */
    static final int EXIT_CHECK_FAILED = 3;

    private ChatSchedule() {
    }
}
