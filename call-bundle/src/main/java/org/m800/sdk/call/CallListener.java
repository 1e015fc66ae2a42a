package org.m800.sdk.call;

/**
 * Hears a client's calls. Every method has a default that does nothing: implement what you need.
 *
 * <p>Rules: methods are called in order on the client's event threads (never an I/O or media thread,
 * never under an SDK lock); be quick, do not block, and do not throw (a listener that throws is logged
 * and the others still run). Calling back into the {@link CallManager} or the {@link Call} is allowed.
 */
public interface CallListener {

    /** A call for this user rings on this device (state {@link CallState#INCOMING}). */
    default void incoming(Call call) {
    }

    /** A call changed state; for {@link CallState#ENDED} {@link #ended} follows. */
    default void stateChanged(Call call, CallState from, CallState to) {
    }

    /** A call ended. */
    default void ended(Call call, CallEndReason reason) {
    }

    /** The other party held ({@code true}) or resumed ({@code false}) the call. */
    default void remoteHold(Call call, boolean held) {
    }

    /** The other party pressed a key (RFC 4733): one of {@code 0-9 * # A-D}. */
    default void dtmfReceived(Call call, char digit) {
    }

    /**
     * A quality warning was raised or cleared ({@link QualityMetric} documents each threshold). A call ends
     * with its warnings as they are: no clearing event follows the end.
     */
    default void qualityChanged(Call call, QualityWarning warning) {
    }

    /** New statistics (about once a second while the audio flows). */
    default void statistics(Call call, CallStatistics statistics) {
    }

    /** The number of missed calls not yet seen changed ({@link CallManager#markMissedCallsSeen()}). */
    default void missedCallsChanged(int unseen) {
    }
}
