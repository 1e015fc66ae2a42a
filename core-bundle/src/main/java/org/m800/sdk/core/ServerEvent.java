package org.m800.sdk.core;

import java.util.Map;

/**
 * An event the server pushed to the user, from the user's event log.
 *
 * @param seq the per-user sequence number, increasing. On a protocol version 1 connection consecutive
 *        (1, 2, 3...); on version 2 the seqs of the user's own messages sent on this connection are
 *        skipped (their answers carry them). Events the server's retention dropped while the client was
 *        away are told by {@link ConnectService#onEventsMissed}, not by a jump.
 * @param type the event type, such as {@code profile.updated}
 * @param timestamp when the server recorded it, epoch milliseconds
 * @param data the payload as plain Java values (maps, lists, strings, numbers, booleans, null); unmodifiable
 */
public record ServerEvent(long seq, String type, long timestamp, Map<String, Object> data) {
}
