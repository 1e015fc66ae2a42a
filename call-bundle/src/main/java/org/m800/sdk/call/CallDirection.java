package org.m800.sdk.call;

/** Who placed a call. */
public enum CallDirection {
    /** This user placed it. */
    OUTGOING,
    /** The other user placed it. */
    INCOMING
}
