package org.m800.sdk.core;

import java.net.URI;

/**
 * A change of {@link ConnectionState}.
 *
 * @param oldState the state before, never {@code null}
 * @param newState the state now, never {@code null}
 * @param reason why, for people (for example {@code "server closed the connection: 1001 server stopping"}),
 *        never {@code null}
 * @param server the server involved, or {@code null} when none is
 */
public record ConnectionStateEvent(ConnectionState oldState, ConnectionState newState, String reason, URI server) {
}
