package org.m800.sdk.file.internal;

import java.io.IOException;

import org.m800.sdk.file.FileInfo;

/** Moves a transfer's bytes; runs on a transfer thread and may block. */
interface TransferTask {

    /**
     * One attempt, from wherever the transfer is (the server's offset, the partial file).
     *
     * @return the file's info once complete and verified
     * @throws IOException a network failure: the engine retries after a back-off
     * @throws org.m800.sdk.core.M800Exception a failure that retrying does not fix
     * @throws TransferImpl.StopException when a stop was requested
     */
    FileInfo attempt(TransferImpl t) throws IOException;

    /** Deletes what a cancelled transfer left (on the server, on the disk); best effort. */
    void cleanUp(TransferImpl t);

    /** Releases what the task holds (an open stream) when the transfer ends for good. */
    default void release() {
    }
}
