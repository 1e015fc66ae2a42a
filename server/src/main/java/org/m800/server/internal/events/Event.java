package org.m800.server.internal.events;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * One entry of a user's event log.
 *
 * @param userId whose log
 * @param seq its sequence number in that log: 1, 2, 3...
 * @param type the event type, such as {@code profile.updated}
 * @param dataJson the payload object as JSON text
 * @param createdAt epoch milliseconds
 */
public record Event(String userId, long seq, String type, String dataJson, long createdAt) {

    /** @return the event frame of the protocol, for version 1 */
    public String toFrame() {
        return toFrame(1);
    }

    /** @return the event frame of the protocol, for that version (the frame is the same in 1 and 2) */
    public String toFrame(int version) {
        // composed as text: the payload is stored JSON already, parsing it again only to re-write it costs
        StringBuilder f = new StringBuilder(dataJson.length() + type.length() + 80);
        f.append("{\"v\":").append(version).append(",\"type\":\"event\",\"seq\":").append(seq).append(",\"event\":\"");
        JsonStringEncoder.getInstance().quoteAsString(type, f);
        return f.append("\",\"ts\":").append(createdAt).append(",\"data\":").append(dataJson).append('}').toString();
    }
}
