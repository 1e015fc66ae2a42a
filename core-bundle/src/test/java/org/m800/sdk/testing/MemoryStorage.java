package org.m800.sdk.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.m800.sdk.core.StorageService;

/** A {@link StorageService} over a map, for unit tests of what stores; values are copied in. */
public final class MemoryStorage implements StorageService {
    private final Map<String, byte[]> kept = new ConcurrentHashMap<>();

    /** @return the stored values by key: a live view, for assertions and for seeding */
    public Map<String, byte[]> map() {
        return kept;
    }

    @Override
    public Optional<byte[]> read(String key) {
        return Optional.ofNullable(kept.get(key));
    }

    @Override
    public void write(String key, byte[] value) {
        kept.put(key, value.clone());
    }

    @Override
    public boolean delete(String key) {
        return kept.remove(key) != null;
    }

    @Override
    public List<String> keys() {
        return List.copyOf(kept.keySet());
    }
}
