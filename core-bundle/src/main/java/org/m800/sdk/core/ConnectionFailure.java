package org.m800.sdk.core;

/**
 * Why a connection to the servers could not be made, or was lost: the
 * {@linkplain ConnectionStateEvent#cause() cause} of a {@link ConnectionStateEvent}. Values may be
 * added in a minor version, so a {@code switch} over them needs a default branch.
 *
 * @since 1.2
 */
public enum ConnectionFailure {
    /** The server's host name did not resolve (DNS): a typing error in the server URI, or no DNS. */
    UNKNOWN_HOST,
    /**
     * Nothing accepted the connection at the server's address and port (connection refused), or the
     * address cannot be reached: the server is down, or the port in the URI is wrong.
     */
    REFUSED,
    /**
     * TLS failed: the server's certificate is not trusted by {@link ClientConfig#trustStore()} (or the
     * JVM's), has expired or names another host, or one side speaks TLS and the other does not
     * ({@code wss://} configured for a plain server, or the reverse).
     */
    TLS,
    /** No answer in time: {@link ClientConfig#connectTimeout()} for the connection and its {@code hello}. */
    TIMEOUT,
    /**
     * The server refused the application (unknown application key, bad signature: check
     * {@link AppMeta}) or the user's credentials. Not retried: the state becomes DISCONNECTED.
     */
    UNAUTHORIZED,
    /**
     * The server answered but refused the connection for another reason: an HTTP error on the WebSocket
     * upgrade (a wrong path in the URI), a protocol version it does not speak, a rate limit, a server
     * error; also when the access token could not be had because the sign-up servers refused or failed.
     */
    REJECTED,
    /** A connection that worked ended: no frame within {@link ClientConfig#heartbeatTimeout()}, closed by the server, reset. */
    LOST,
    /** Another network failure (the message in {@link ConnectionStateEvent#reason()} says which). */
    NETWORK
}
