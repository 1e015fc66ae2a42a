package org.m800.sdk.call.internal.media.srtp;

/** A packet that SRTP refuses: too short, not authentic, or replayed. The packet is to be dropped. */
public final class SrtpException extends Exception {

    private static final long serialVersionUID = 1L;

    SrtpException(String message) {
        super(message, null, false, false);
    }
}
