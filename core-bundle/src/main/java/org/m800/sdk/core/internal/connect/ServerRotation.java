package org.m800.sdk.core.internal.connect;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Which server a connection service tries next, and when: after a failed attempt the next server of
 * the list at once, after a whole round of failures a back-off wait that grows per round. It also
 * remembers whether the current run of failures was reported, so the application hears of it once.
 * Not thread-safe: the owner guards it with its lock.
 */
final class ServerRotation {

    /** {@link #failed()}'s answer when the next server is tried at once. */
    static final long NOW = -1;

    private final List<URI> servers;
    private final Backoff backoff;
    private int index;
    private int failuresInRow;
    private boolean failureReported;

    ServerRotation(List<URI> servers, Duration minDelay, Duration maxDelay) {
        this.servers = List.copyOf(servers);
        this.backoff = new Backoff(minDelay, maxDelay);
    }

    /** Whether there is no server at all (the service never connects). */
    boolean isEmpty() {
        return servers.isEmpty();
    }

    /** The server to try now. */
    URI current() {
        return servers.get(index % servers.size());
    }

    /** New credentials: start again with the first server, nothing reported yet. */
    void restart() {
        index = 0;
        failuresInRow = 0;
        failureReported = false;
    }

    /** An attempt succeeded: the failure count and the report start afresh; the server stays. */
    void connected() {
        failuresInRow = 0;
        failureReported = false;
    }

    /** A connection that worked was lost: it is retried on the same server at once. */
    void lost() {
        failuresInRow = 0;
    }

    /**
     * An attempt failed: moves to the next server and says when to try it.
     *
     * @return {@link #NOW}, or the back-off wait in milliseconds once every server failed in this round
     */
    long failed() {
        failuresInRow++;
        index = (index + 1) % servers.size();
        if (failuresInRow % servers.size() != 0) {
            return NOW;
        }
        return backoff.delayMillis(failuresInRow / servers.size());
    }

    /** Whether this run of failures is not reported yet; marks it reported. */
    boolean reportOnce() {
        if (failureReported) {
            return false;
        }
        failureReported = true;
        return true;
    }
}
