package org.m800.sdk.runtime;

/**
 * The runtime could not reach READY: a folder could not be made, the framework did not start, or a
 * bundle did not resolve or start. The message names the bundle and the reason. Exit code
 * {@value Main#EXIT_STARTUP}.
 */
final class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
