package org.m800.sdk.call.internal.media;

/** What this side does with the audio of a leg, as the SDP direction attributes say (RFC 3264). */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** @return whether this side sends RTP audio */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** @return whether this side plays what it receives */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }
}
