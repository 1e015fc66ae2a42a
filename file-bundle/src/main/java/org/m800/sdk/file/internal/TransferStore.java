package org.m800.sdk.file.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.m800.sdk.core.StorageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfers and shares kept in the client's storage, under keys {@code file.transfer.<id>} and
 * {@code file.share.<id>}. Writes go through the disk executor (one at a time, in order), so a later
 * write of a record never loses against an earlier one; callers wait on the future when the record must
 * be on the disk before they go on (an upload id before its first byte is sent).
 */
final class TransferStore {

    private static final Logger LOG = LoggerFactory.getLogger(TransferStore.class);
    static final String TRANSFER_PREFIX = "file.transfer.";
    static final String SHARE_PREFIX = "file.share.";

    private final StorageService storage;
    /** The logged-in user's hash: each user's transfers are kept apart. */
    private volatile String scope = "none";
    private final Executor disk;

    TransferStore(StorageService storage, Executor disk) {
        this.storage = storage;
        this.disk = disk;
    }

    /** Keys from now on are the user's with this hash. */
    void scope(String userHash) {
        scope = userHash;
    }

    private String transferPrefix() {
        return TRANSFER_PREFIX + scope + ".";
    }

    private String sharePrefix() {
        return SHARE_PREFIX + scope + ".";
    }

    CompletableFuture<Void> save(TransferRecord r) {
        byte[] bytes = r.toBytes();
        return CompletableFuture.runAsync(() -> storage.write(transferPrefix() + r.id(), bytes), disk);
    }

    CompletableFuture<Void> delete(String transferId) {
        return CompletableFuture.runAsync(() -> storage.delete(transferPrefix() + transferId), disk);
    }

    CompletableFuture<Void> saveShare(ShareRecord r) {
        byte[] bytes = r.toBytes();
        return CompletableFuture.runAsync(() -> storage.write(sharePrefix() + r.id(), bytes), disk);
    }

    /** Writes a share at once; only on the disk executor (waiting there for a queued write would never end). */
    void saveShareNow(ShareRecord r) {
        storage.write(sharePrefix() + r.id(), r.toBytes());
    }

    CompletableFuture<Void> deleteShare(String shareId) {
        return CompletableFuture.runAsync(() -> storage.delete(sharePrefix() + shareId), disk);
    }

    /** Reads every kept transfer; call on a thread that may touch the disk. */
    List<TransferRecord> loadTransfers() {
        List<TransferRecord> out = new ArrayList<>();
        for (String key : storage.keys()) {
            if (key.startsWith(transferPrefix())) {
                read(key).ifPresent(bytes -> {
                    try {
                        out.add(TransferRecord.fromBytes(bytes));
                    } catch (java.io.IOException | RuntimeException e) {
                        LOG.warn("dropping the unreadable transfer record {}: {}", key, e.toString());
                        storage.delete(key);
                    }
                });
            }
        }
        return out;
    }

    /** Reads every kept share; call on a thread that may touch the disk. */
    List<ShareRecord> loadShares() {
        List<ShareRecord> out = new ArrayList<>();
        for (String key : storage.keys()) {
            if (key.startsWith(sharePrefix())) {
                read(key).ifPresent(bytes -> {
                    try {
                        out.add(ShareRecord.fromBytes(bytes));
                    } catch (java.io.IOException | RuntimeException e) {
                        LOG.warn("dropping the unreadable share record {}: {}", key, e.toString());
                        storage.delete(key);
                    }
                });
            }
        }
        return out;
    }

    private Optional<byte[]> read(String key) {
        return storage.read(key);
    }
}
