package org.m800.sdk.core;

/**
 * The states of the connection to the IM servers; see {@link ConnectService} for the transitions.
 */
public enum ConnectionState {
    /** Not connected and not trying: no user is logged in, or the server refused the credentials. */
    DISCONNECTED,
    /** Opening a WebSocket to one of the servers and saying hello. */
    CONNECTING,
    /** Authenticated; requests and events flow. */
    CONNECTED,
    /** The connection was lost or could not be made; waiting (back-off) before the next attempt. */
    WAITING,
    /** The service was closed; final. */
    CLOSED
}
