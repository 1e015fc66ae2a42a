package org.m800.server.internal.chat;

import java.util.LinkedHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/**
 * A conversation's state in memory: its members in joining order and the seq of its last message.
 * Guarded by {@link #lock}: every field but {@link #id} is read and changed only by the holder (see
 * {@link Conversations}, which loads it from the tables under that lock and evicts it under that lock).
 */
final class Conv {
    final String id;
    final ReentrantLock lock = new ReentrantLock();
    String kind;
    String title;
    String createdBy;
    long createdAt;
    final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    long lastSeq;
    /** Read from the tables (by the first holder of the lock). */
    boolean loaded;
    /** No longer the cached instance (evicted, or no such conversation): its holder looks the id up again. */
    boolean evicted;
    /** When it was last used, on {@link Conversations}' clock; read without the lock to pick what to evict. */
    volatile long lastUsed;

    Conv(String id) {
        this.id = id;
    }

    boolean direct() {
        return "direct".equals(kind);
    }

    /** @return the user's membership; NOT_FOUND if the user is not a member. Caller holds the lock. */
    Member requireMember(String userId) throws WireException {
        Member m = members.get(userId);
        if (m == null) {
            throw WireException.of(WireCode.NOT_FOUND, "NOT_A_MEMBER", "you are not a member of conversation " + id);
        }
        return m;
    }

    /** @return the user's membership if it has one of the roles; NOT_ALLOWED otherwise. Caller holds the lock. */
    Member requireRole(String userId, String what, String... roles) throws WireException {
        Member m = requireMember(userId);
        for (String r : roles) {
            if (r.equals(m.role)) {
                return m;
            }
        }
        throw WireException.unauthorized("NOT_ALLOWED", "a " + m.role + " cannot " + what + " in conversation " + id);
    }
}
