package org.m800.server.internal.chat;

import java.util.LinkedHashMap;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/**
 * A conversation's cached state: its members in joining order and the seq of its last message.
 * Guarded by its own monitor: every read and change of a member, the title or {@code lastSeq} holds it.
 */
final class Conv {
    final String id;
    final String kind;
    String title;
    final String createdBy;
    final long createdAt;
    final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    long lastSeq;

    Conv(String id, String kind, String title, String createdBy, long createdAt) {
        this.id = id;
        this.kind = kind;
        this.title = title;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    boolean direct() {
        return "direct".equals(kind);
    }

    /** @return the user's membership; NOT_FOUND if the user is not a member. Caller holds the monitor. */
    Member requireMember(String userId) throws WireException {
        Member m = members.get(userId);
        if (m == null) {
            throw WireException.of(WireCode.NOT_FOUND, "NOT_A_MEMBER", "you are not a member of conversation " + id);
        }
        return m;
    }

    /** @return the user's membership if it has one of the roles; NOT_ALLOWED otherwise. Caller holds the monitor. */
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
