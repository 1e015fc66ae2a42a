package org.m800.sdk.call;

/** How a call ended, as this device sees it: one value for every way. */
public enum CallEndReason {
    /** This device hung up an answered call. */
    LOCAL_HANGUP,
    /** The other party hung up an answered call. */
    REMOTE_HANGUP,
    /** Outgoing: this device cancelled before the answer. */
    CANCELLED,
    /** Incoming: the caller cancelled before anyone answered (a missed call). */
    REMOTE_CANCELLED,
    /** Incoming: this device declined ({@link Call#reject()}). */
    DECLINED,
    /** Outgoing: the callee declined. */
    REMOTE_DECLINED,
    /** Incoming: another device of this user declined. */
    DECLINED_ELSEWHERE,
    /** Incoming: another device of this user answered. */
    ANSWERED_ELSEWHERE,
    /** Outgoing: the callee is busy (in a call, or rejected as busy). Incoming: this device rejected as busy. */
    BUSY,
    /** Nobody answered within the ring timeout (45 s on the reference server). */
    NO_ANSWER,
    /** No audio arrived for the media timeout (20 s): the network between the parties is gone. */
    MEDIA_TIMEOUT,
    /** The two devices could not agree on a codec or an encryption key. */
    INCOMPATIBLE_MEDIA,
    /** The call could not be placed or went on no more: the server refused or failed (see the log). */
    FAILED,
    /** The call feature stopped on this device (the bundle stopped, the client closed, the user logged out). */
    FEATURE_STOPPED,
    /** The server restarted while the call was active. */
    SERVER_RESTART
}
