package org.m800.sdk.chat.internal;

import java.util.ArrayList;
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

    /** Takes the server's view of the conversation (as the user {@code me} sees it); marks only grow. */
    void apply(ChatWire.WireConversation w, String me) {
        this.kind = w.kind();
        this.title = w.title();
        this.lastSeq = Math.max(this.lastSeq, w.lastSeq());
        List<StoredMember> members = new ArrayList<>();
        boolean member = false;
        long othersDelivered = this.othersDelivered;
        long othersRead = this.othersRead;
        for (ChatWire.WireMember m : w.members()) {
            members.add(new StoredMember(m.userId(), m.role(), m.deliveredUpTo(), m.readUpTo()));
            if (m.userId().equals(me)) {
                member = true;
                this.myRead = Math.max(this.myRead, m.readUpTo());
            } else {
                othersDelivered = Math.max(othersDelivered, Math.max(m.deliveredUpTo(), m.readUpTo()));
                othersRead = Math.max(othersRead, m.readUpTo());
            }
        }
        if (w.joinedSeq() != null) {
            this.joinedSeq = w.joinedSeq();
        }
        this.members = List.copyOf(members);
        this.member = member;
        this.othersDelivered = othersDelivered;
        this.othersRead = othersRead;
    }
}
