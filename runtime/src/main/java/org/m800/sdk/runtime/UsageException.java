package org.m800.sdk.runtime;

/** A command line the runtime cannot run; the message says what is wrong. Exit code {@value Main#EXIT_USAGE}. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
