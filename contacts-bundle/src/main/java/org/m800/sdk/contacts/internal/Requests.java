package org.m800.sdk.contacts.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** How the contacts' parts send requests: the manager's {@code request} (never throws, tracked). */
@FunctionalInterface
interface Requests {
    CompletableFuture<Map<String, Object>> send(String type, Map<String, ?> data);

    /** @return the list cut into lists of at most {@code size} */
    static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(List.copyOf(all.subList(i, Math.min(all.size(), i + size))));
        }
        return out;
    }
}
