package org.m800.sdk.call.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.m800.sdk.call.CallDirection;
import org.m800.sdk.call.CallListener;
import org.m800.sdk.call.CallLogPage;
import org.m800.sdk.call.CallRecord;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.StorageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's call log in the client's storage: the newest {@value #KEEP} records of the server's
 * {@code call.log} (docs/protocol.md 13.5), synchronised when the connection comes up and after each call,
 * and the time up to which missed calls were seen. Older pages are read from the server. Disk work runs on
 * the disk executor; the in-memory copy is guarded by the object's monitor.
 */
final class CallLogStore {
    private static final Logger LOG = LoggerFactory.getLogger(CallLogStore.class);
    /**
     * Made by the first read or write of a log (on the disk executor, once a user is known), not when a client
     * is created: in a fresh runtime this was the first ObjectMapper, and loading Jackson's databind for it
     * was about a third of the first m800:create's CPU for a client that is not logged in.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {
        }
    }

    private static final int KEEP = 1_000;
    private static final int SYNC_PAGE = 100;
    private static final Comparator<Map<String, Object>> NEWEST_FIRST = Comparator
            .comparingLong((Map<String, Object> r) -> Wire.number(r, "createdAt", 0)).reversed()
            .thenComparing(r -> Wire.text(r, "callId"), Comparator.reverseOrder());

    private final StorageService storage;
    private final CallManagerImpl manager;
    private final ListenerList<CallListener> listeners;
    // guarded by this
    private String userId;
    private String key;
    private List<Map<String, Object>> records = new ArrayList<>();
    private boolean complete;
    private long seenUpTo;
    private int lastUnseen = -1;

    CallLogStore(StorageService storage, CallManagerImpl manager, ListenerList<CallListener> listeners) {
        this.storage = storage;
        this.manager = manager;
        this.listeners = listeners;
    }

    /** On the disk executor: reads the user's stored log. */
    void open(String user) {
        String k = "call.log." + FeatureManager.userIdHash(user, 16);
        List<Map<String, Object>> stored = new ArrayList<>();
        long seen = 0;
        boolean full = false;
        try {
            byte[] bytes = storage.read(k).orElse(null);
            if (bytes != null) {
                Map<String, Object> file = Json.MAPPER.readValue(bytes, new TypeReference<Map<String, Object>>() { });
                Object list = file.get("records");
                if (list instanceof List<?> l) {
                    for (Object o : l) {
                        if (o instanceof Map<?, ?> m) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> r = (Map<String, Object>) m;
                            stored.add(r);
                        }
                    }
                }
                seen = Wire.number(file, "seenUpTo", 0);
                full = Wire.flag(file, "complete");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("The stored call log of client {} cannot be read; it is fetched again", manager.clientIdOf(), e);
        }
        synchronized (this) {
            userId = user;
            key = k;
            records = stored;
            seenUpTo = seen;
            complete = full;
        }
        changed();
    }

    synchronized void close() {
        userId = null;
        key = null;
        records = new ArrayList<>();
    }

    /** Fetches the newest records from the server and stores them. */
    void sync() {
        String user;
        synchronized (this) {
            user = userId;
        }
        if (user == null) {
            return;
        }
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("limit", SYNC_PAGE);
        manager.ask("call.log", query).whenComplete((page, failure) -> {
            if (failure != null) {
                LOG.debug("The call log could not be synchronised: {}", failure.toString());
                return;
            }
            merge(user, page, true);
        });
    }

    private void merge(String user, Map<String, Object> page, boolean newest) {
        synchronized (this) {
            if (!user.equals(userId)) {
                return;
            }
            Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
            for (Map<String, Object> r : records) {
                byId.put(Wire.text(r, "callId"), r);
            }
            for (Map<String, Object> r : list(page)) {
                byId.put(Wire.text(r, "callId"), r);
            }
            List<Map<String, Object>> merged = new ArrayList<>(byId.values());
            merged.sort(NEWEST_FIRST);
            if (merged.size() > KEEP) {
                merged = new ArrayList<>(merged.subList(0, KEEP));
                complete = false;
            } else if (newest && page.get("next") == null) {
                complete = true;
            }
            records = merged;
        }
        persist();
        changed();
    }

    CompletableFuture<CallLogPage> page(String cursor, int limit) {
        List<CallRecord> out = new ArrayList<>();
        String next = null;
        boolean fetch;
        boolean incomplete;
        String user;
        synchronized (this) {
            user = userId;
            List<Map<String, Object>> after = new ArrayList<>();
            for (Map<String, Object> r : records) {
                if (cursor == null || before(r, cursor)) {
                    after.add(r);
                }
            }
            for (int i = 0; i < Math.min(limit, after.size()); i++) {
                out.add(toRecord(after.get(i)));
            }
            if (after.size() > limit) {
                next = cursorOf(after.get(limit - 1));
            }
            incomplete = !complete;
            fetch = out.size() < limit && incomplete;
        }
        if (!fetch) {
            if (next == null && out.size() == limit && incomplete) {
                next = cursorOf(out.get(out.size() - 1));
            }
            return CompletableFuture.completedFuture(new CallLogPage(out, next));
        }
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("limit", limit);
        if (cursor != null) {
            query.put("before", cursor);
        }
        return manager.ask("call.log", query).thenApply(page -> {
            merge(user, page, false);
            List<CallRecord> fetched = new ArrayList<>();
            synchronized (this) {
                for (Map<String, Object> r : list(page)) {
                    fetched.add(toRecord(r));
                }
            }
            return new CallLogPage(fetched, Wire.text(page, "next"));
        });
    }

    private static String cursorOf(CallRecord r) {
        return r.startedAt().toEpochMilli() + ":" + r.callId();
    }

    private static String cursorOf(Map<String, Object> r) {
        return Wire.number(r, "createdAt", 0) + ":" + Wire.text(r, "callId");
    }

    private static boolean before(Map<String, Object> r, String cursor) {
        int colon = cursor.indexOf(':');
        long at;
        try {
            at = Long.parseLong(cursor.substring(0, Math.max(colon, 0)));
        } catch (NumberFormatException e) {
            return true;
        }
        String id = cursor.substring(colon + 1);
        long created = Wire.number(r, "createdAt", 0);
        return created < at || created == at && Wire.text(r, "callId").compareTo(id) < 0;
    }

    synchronized int missedUnseen() {
        int n = 0;
        for (Map<String, Object> r : records) {
            if (Wire.flag(r, "missed") && Wire.number(r, "createdAt", 0) > seenUpTo) {
                n++;
            }
        }
        return n;
    }

    CompletableFuture<Void> markSeen() {
        synchronized (this) {
            long newest = records.isEmpty() ? 0 : Wire.number(records.get(0), "createdAt", 0);
            seenUpTo = Math.max(seenUpTo, newest);
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        manager.disk().execute(() -> {
            persistNow();
            written.complete(null);
        });
        changed();
        return written;
    }

    private void persist() {
        manager.disk().execute(this::persistNow);
    }

    /** On the disk executor. */
    private void persistNow() {
        String k;
        byte[] bytes;
        synchronized (this) {
            if (key == null) {
                return;
            }
            k = key;
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("records", records);
            file.put("seenUpTo", seenUpTo);
            file.put("complete", complete);
            try {
                bytes = Json.MAPPER.writeValueAsBytes(file);
            } catch (IOException e) {
                LOG.warn("The call log cannot be written", e);
                return;
            }
        }
        try {
            storage.write(k, bytes);
        } catch (RuntimeException e) {
            LOG.warn("The call log of client {} was not stored", manager.clientIdOf(), e);
        }
    }

    /**
     * Counts, compares and emits under the monitor: counted outside it, two updates racing could
     * announce the older count last. Emitting only queues the delivery, so holding the monitor is safe.
     */
    private synchronized void changed() {
        int unseen = missedUnseen();
        if (unseen == lastUnseen) {
            return;
        }
        lastUnseen = unseen;
        listeners.emit(l -> l.missedCallsChanged(unseen));
    }

    /** Caller holds the monitor (reads {@link #userId}). */
    private CallRecord toRecord(Map<String, Object> r) {
        boolean outgoing = "OUTGOING".equals(Wire.text(r, "direction"));
        CallDirection direction = outgoing ? CallDirection.OUTGOING : CallDirection.INCOMING;
        String peer = outgoing ? Wire.text(r, "calleeId") : Wire.text(r, "callerId");
        long answered = Wire.number(r, "answeredAt", -1);
        long ended = Wire.number(r, "endedAt", -1);
        String reason = Wire.text(r, "endReason");
        boolean byMe = userId != null && userId.equals(Wire.text(r, "endedBy"));
        return new CallRecord(Wire.text(r, "callId"), peer, direction,
                Instant.ofEpochMilli(Wire.number(r, "createdAt", 0)), answered < 0 ? null : Instant.ofEpochMilli(answered),
                ended < 0 ? null : Instant.ofEpochMilli(ended), Duration.ofMillis(Wire.number(r, "durationMs", 0)),
                reason == null ? null : EndReasons.of(reason, direction, byMe, byMe), Wire.flag(r, "missed"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> page) {
        Object l = page.get("records");
        List<Map<String, Object>> out = new ArrayList<>();
        if (l instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }
}
