package org.m800.sdk.chat.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A conversation as stored (its messages are indexed beside it). */
final class StoredConversation {
    String id;
    String kind;
    String title = "";
    List<StoredMember> members = List.of();
    long lastSeq;
    long myRead;
    long joinedSeq;
    boolean member = true;
    long othersDelivered;
    long othersRead;
    /**
     * Sync has brought every message of the server's history up to this seq (messages hidden from
     * this user included, as absent); a gap below it is not fetched again.
     */
    long syncedTo;
    final TreeMap<Long, StoredMessage> bySeq = new TreeMap<>();
    final LinkedHashMap<String, StoredMessage> unsent = new LinkedHashMap<>();

    long activity() {
        Map.Entry<Long, StoredMessage> last = bySeq.lastEntry();
        long ts = last == null ? 0 : last.getValue().ts;
        for (StoredMessage m : unsent.values()) {
            ts = Math.max(ts, m.ts);
        }
        return ts;
    }

    /** @return the highest seq from which every later local message up to it is present, starting at {@code from} */
    long contiguousFrom(long from) {
        long seq = from;
        for (Long next : bySeq.tailMap(from, false).keySet()) {
            if (next != seq + 1) {
                break;
            }
            seq = next;
        }
        return seq;
    }
}
