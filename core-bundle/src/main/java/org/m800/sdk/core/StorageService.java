package org.m800.sdk.core;

import java.util.List;
import java.util.Optional;

/**
 * The module {@value #MODULE}: a client's durable local state, kept in its data directory
 * ({@link ClientConfig#dataDirectoryFor(AppMeta)}) so that it survives a restart of the JVM and an
 * update of any bundle. Files and folders are readable by their owner only where the file system
 * allows it.
 *
 * <p>Values are opaque byte arrays under keys. Writes are atomic (a reader sees the old or the new
 * value, never a mix) and durable when the call returns. Thread-safe. Calls touch the disk: do not
 * make them on an I/O thread.
 */
public interface StorageService {

    /** The module name. */
    String MODULE = "service.storage";

    /** What a key looks like: 1 to 128 characters of lower-case letters, digits, {@code . _ -}. */
    String KEY_PATTERN = "[a-z0-9][a-z0-9._-]{0,127}";

    /**
     * @return the value stored under the key, or empty
     * @throws M800Exception INVALID_ARGUMENT for a malformed key; ILLEGAL_STATE if the disk fails
     */
    Optional<byte[]> read(String key);

    /**
     * Stores a value, replacing any previous one, atomically and durably.
     *
     * @throws M800Exception INVALID_ARGUMENT for a malformed key or a null value; ILLEGAL_STATE if the disk fails
     */
    void write(String key, byte[] value);

    /**
     * @return whether a value was there
     * @throws M800Exception INVALID_ARGUMENT for a malformed key; ILLEGAL_STATE if the disk fails
     */
    boolean delete(String key);

    /** @return the keys that have a value, sorted */
    List<String> keys();
}
