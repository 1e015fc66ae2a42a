package org.m800.sdk.core;

/**
 * The stable reason of an {@link M800Exception}. Codes are never renumbered or renamed; new codes
 * may be added in a minor version, so a {@code switch} over them needs a default branch.
 */
public enum ErrorCode {
    /** An argument or configuration value is wrong; the message names it. Nothing was sent. */
    INVALID_ARGUMENT,
    /** The application or user credentials were refused. */
    UNAUTHORIZED,
    /** The thing asked for (feature, module, user, conversation...) does not exist. */
    NOT_FOUND,
    /** A limit was hit; try again later. */
    RATE_LIMITED,
    /** No answer within the configured time; the message states the time. */
    TIMEOUT,
    /** The network failed or the servers cannot be reached. */
    NETWORK,
    /** A peer sent something the protocol does not allow. */
    PROTOCOL,
    /** The feature or module that the call needs is not ready, or left while the call ran. */
    FEATURE_UNAVAILABLE,
    /** The server failed to handle a valid request. */
    SERVER_ERROR,
    /** A module factory threw or returned nothing; the module stays unbuilt until its provider changes. */
    MODULE_FAILED,
    /** Modules depend on each other in a cycle; the message names the cycle. */
    DEPENDENCY_CYCLE,
    /** The call is not allowed in the current state, for example on a closed client. */
    ILLEGAL_STATE,
    /**
     * The client, or the feature manager that handed out the future, was closed before the operation
     * finished. Whether the operation took effect on the server is not known.
     *
     * @since 1.2
     */
    CLOSED
}
