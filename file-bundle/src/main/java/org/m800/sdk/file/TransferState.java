package org.m800.sdk.file;

/**
 * Where a transfer is. {@code QUEUED -> RUNNING -> COMPLETED}; {@code RUNNING -> QUEUED} while it waits
 * to resume after a network failure; any non-final state {@code -> PAUSED -> QUEUED}; any non-final
 * state {@code -> CANCELLED} or {@code FAILED}. COMPLETED, FAILED and CANCELLED are final.
 */
public enum TransferState {
    /** Waiting for a free slot (at most {@link FileManager#MAX_CONCURRENT_KEY} run at once) or to retry. */
    QUEUED,
    /** Moving bytes. */
    RUNNING,
    /** Stopped by {@link Transfer#pause()} (or the feature stopping); the bytes done are kept. */
    PAUSED,
    /** Done and verified. */
    COMPLETED,
    /** Ended with an error that retrying does not fix; see {@link Transfer#result()}. */
    FAILED,
    /** Ended by {@link Transfer#cancel()}; the server's and the local partial bytes are deleted. */
    CANCELLED;

    /** @return whether the state never changes again */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
