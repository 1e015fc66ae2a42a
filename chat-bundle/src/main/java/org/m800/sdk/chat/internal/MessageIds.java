package org.m800.sdk.chat.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ids of outgoing messages: time-ordered (like a UUIDv7), 48 bits of milliseconds then 80 random bits.
 * Consecutive ids of a sender sort together, so the server's unique index on (sender, messageId) grows
 * at one end instead of touching a random page per message.
 */
final class MessageIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageIds() {
    }

    /** @return a new id for now */
    static String next() {
        return at(System.currentTimeMillis());
    }

    /** @return a new id for a given time in ms */
    static String at(long millis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return HexFormat.of().toHexDigits(millis).substring(4) + "-" + HexFormat.of().formatHex(random);
    }
}
