package org.m800.sdk.file;

/**
 * Receives file events. Every method has an empty default. Called on the client's event threads, in
 * order, never on an I/O thread nor while the SDK holds a lock; be quick and do not block. A listener
 * that throws is logged and the others still run.
 */
public interface FileListener {

    /** A transfer was added (by a call, a share, or restored from the client's storage at start). */
    default void transferAdded(Transfer transfer) {
    }

    /** A transfer changed its state. */
    default void transferStateChanged(Transfer transfer, TransferState state) {
    }

    /**
     * The thumbnail of a media message received in a conversation is on the local disk.
     *
     * @param messageId the chat message
     * @param thumbnailFileId the thumbnail's file id
     * @param thumbnail the JPEG on the local disk (in the client's data directory)
     */
    default void thumbnailReady(String messageId, String thumbnailFileId, java.nio.file.Path thumbnail) {
    }
}
