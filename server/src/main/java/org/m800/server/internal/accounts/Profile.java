package org.m800.server.internal.accounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.m800.server.internal.wire.Json;

/** A user's profile as stored and as sent (docs/protocol.md 9.1). */
public record Profile(String userId, String username, String carrier, String displayName, String statusMessage,
        long createdAt, long updatedAt) {

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("userId", userId);
        o.put("username", username);
        o.put("carrier", carrier);
        o.put("displayName", displayName);
        o.put("statusMessage", statusMessage);
        o.put("createdAt", createdAt);
        o.put("updatedAt", updatedAt);
        return o;
    }
}
