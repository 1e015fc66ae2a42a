package org.m800.sdk.chat.internal;

/** A member as stored. */
record StoredMember(String userId, String role, long deliveredUpTo, long readUpTo) {
}
