package org.m800.server.internal.chat;

/** One member of a conversation, as cached in its {@link Conv}; guarded by the conversation's monitor. */
final class Member {
    static final String OWNER = "owner";
    static final String ADMIN = "admin";
    static final String MEMBER = "member";

    String role;
    final long joinedSeq;
    final long joinedAt;
    long deliveredUpTo;
    long readUpTo;

    Member(String role, long joinedSeq, long joinedAt, long deliveredUpTo, long readUpTo) {
        this.role = role;
        this.joinedSeq = joinedSeq;
        this.joinedAt = joinedAt;
        this.deliveredUpTo = deliveredUpTo;
        this.readUpTo = readUpTo;
    }
}
