package org.m800.sdk.contacts;

/** Whether a user is reachable now. */
public enum PresenceState {
    /** At least one device is connected and not away. */
    ONLINE,
    /** Every connected device said it is away. */
    AWAY,
    /** No device is connected (or the user blocked the viewer). */
    OFFLINE
}
