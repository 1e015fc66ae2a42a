package org.m800.sdk.benchmarks;

/** A workload produced a wrong answer (a lost, repeated or unexpected result): the run fails. */
public final class CorrectnessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorrectnessException(String message) {
        super(message);
    }

    /** Throws unless {@code condition} holds. */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new CorrectnessException(message);
        }
    }
}
