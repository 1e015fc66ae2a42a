package org.m800.sdk.verification;

/**
 * Told of the status changes of a verification session, in order, on the client's event threads
 * (never on an I/O thread, never while the SDK holds a lock). Be quick, do not block; an exception
 * thrown here is logged and does not stop other listeners.
 */
@FunctionalInterface
public interface VerificationListener {
    void onStatus(VerificationEvent event);
}
