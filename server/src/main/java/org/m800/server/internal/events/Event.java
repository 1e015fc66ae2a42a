package org.m800.server.internal.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.m800.server.internal.wire.Json;

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
        ObjectNode f = Json.object();
        f.put("v", 1);
        f.put("type", "event");
        f.put("seq", seq);
        f.put("event", type);
        f.put("ts", createdAt);
        f.set("data", Json.read(dataJson));
        return Json.write(f);
    }
}
