package org.m800.sdk.file;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.m800.sdk.core.Subscription;

/**
 * One upload or download. A handle: it stays valid after its transfer ended. Thread-safe; no method
 * blocks or throws for the state the transfer is in (pausing a finished transfer does nothing).
 */
public interface Transfer {

    /** Which way the bytes go. */
    enum Direction {
        /** From this client to the file server. */
        UPLOAD,
        /** From the file server to a local file. */
        DOWNLOAD
    }

    /** @return the transfer's id, unique in its client and kept across restarts */
    String id();

    /** @return which way the bytes go */
    Direction direction();

    /** @return the file name (the upload's name, or the downloaded file's target name) */
    String name();

    /** @return the local file: the upload's source if it is a file, or the download's target */
    Optional<Path> localFile();

    /** @return the file id once known (a download's always; an upload's once the server created it) */
    Optional<String> fileId();

    /** @return the current state */
    TransferState state();

    /** @return the current progress */
    TransferProgress progress();

    /**
     * Subscribes to progress: called with a snapshot when bytes move (at most about ten times a second,
     * and once more at the end), on the client's event threads, in order, never while the SDK holds a
     * lock. A new listener hears the current progress at once.
     *
     * @return a handle that unsubscribes
     */
    Subscription onProgress(Consumer<TransferProgress> listener);

    /** Stops moving bytes and keeps what is done; {@link #resume()} goes on from there. */
    void pause();

    /** Queues a paused transfer again. */
    void resume();

    /**
     * Ends the transfer: an unfinished upload is terminated on the server, a download's partial file
     * deleted; {@link #result()} fails with {@link org.m800.sdk.core.ErrorCode#ILLEGAL_STATE} "cancelled".
     */
    void cancel();

    /**
     * @return completes with the file's info when the transfer is complete and verified; fails with an
     *         {@link org.m800.sdk.core.M800Exception}: INVALID_ARGUMENT (bad input, a file changed while
     *         uploading, a hash mismatch — the message names the file), NOT_FOUND (no such file, or no
     *         access to it), UNAUTHORIZED, ILLEGAL_STATE (cancelled, logged out), SERVER_ERROR,
     *         PROTOCOL, RATE_LIMITED (over the size limit or quota). Network failures are retried, not
     *         reported. Completes on the client's event threads.
     */
    CompletableFuture<FileInfo> result();
}
