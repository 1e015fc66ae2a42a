package org.m800.sdk.core;

import java.util.Map;

/**
 * An event the server pushed to the user, from the user's event log.
 *
 * @param seq the per-user sequence number: 1, 2, 3... without gaps
 * @param type the event type, such as {@code profile.updated}
 * @param timestamp when the server recorded it, epoch milliseconds
 * @param data the payload as plain Java values (maps, lists, strings, numbers, booleans, null); unmodifiable
 */
public record ServerEvent(long seq, String type, long timestamp, Map<String, Object> data) {
}
