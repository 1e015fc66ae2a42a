package org.m800.sdk.core;

import java.net.URI;

/**
 * A change of {@link ConnectionState}.
 *
 * <p>When the change comes from a failure (an attempt that could not connect, a connection that was
 * lost or refused), {@link #cause()} says which kind, so an application can tell "the server is down"
 * ({@link ConnectionFailure#REFUSED}) from "the application key is wrong"
 * ({@link ConnectionFailure#UNAUTHORIZED}) or "the certificate is not trusted" ({@link ConnectionFailure#TLS})
 * at the first failure, without waiting for a request to time out. The first failed attempt after
 * {@link ConnectService#start} or after a working connection is also reported once as a
 * {@link ClientEvent#ERROR} (code {@link ErrorCode#NETWORK}, or the server's code when it refused).
 *
 * @param oldState the state before, never {@code null}
 * @param newState the state now, never {@code null}
 * @param reason why, for people (for example {@code "server closed the connection: 1001 server stopping"}),
 *        never {@code null}
 * @param server the server involved, or {@code null} when none is
 * @param cause the kind of failure that caused the change, {@code null} when no failure did (since 1.2)
 */
public record ConnectionStateEvent(ConnectionState oldState, ConnectionState newState, String reason, URI server,
        ConnectionFailure cause) {

    /** A change that no failure caused ({@link #cause()} is {@code null}). */
    public ConnectionStateEvent(ConnectionState oldState, ConnectionState newState, String reason, URI server) {
        this(oldState, newState, reason, server, null);
    }
}
