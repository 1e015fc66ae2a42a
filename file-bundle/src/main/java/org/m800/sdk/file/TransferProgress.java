package org.m800.sdk.file;

/**
 * A snapshot of a transfer's progress.
 *
 * @param bytesDone bytes the server confirmed (upload) or written and kept (download)
 * @param totalBytes the file's size; -1 while a download does not know it yet
 * @param bytesPerSecond the recent rate (over the last few seconds of running), 0 when not running
 * @param etaMillis estimated time left in milliseconds, -1 when unknown (not running, no rate yet)
 */
public record TransferProgress(long bytesDone, long totalBytes, long bytesPerSecond, long etaMillis) {

    /** @return the fraction done, 0 to 1; 0 while the size is unknown, 1 for an empty file */
    public double fraction() {
        if (totalBytes < 0) {
            return 0;
        }
        return totalBytes == 0 ? 1 : (double) bytesDone / totalBytes;
    }
}
