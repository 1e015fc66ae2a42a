package org.m800.server.internal.chat;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import org.m800.server.internal.wire.WireCode;
import org.m800.server.internal.wire.WireException;

/**
 * The conversations in memory: each is loaded from the tables on first use and then changed only
 * under its own monitor, so there is one {@link Conv} per conversation id. Thread-safe.
 */
final class Conversations {
    private final ChatTables tables;
    private final ConcurrentHashMap<String, Conv> cache = new ConcurrentHashMap<>();

    Conversations(ChatTables tables) {
        this.tables = tables;
    }

    /** @return the cached conversation, loaded from the database on first use; null if it does not exist */
    Conv load(String id) throws SQLException {
        Conv c = cache.get(id);
        if (c != null) {
            return c;
        }
        c = tables.conversation(id);
        if (c == null) {
            return null;
        }
        Conv raced = cache.putIfAbsent(id, c);
        return raced == null ? c : raced;
    }

    /** @return the conversation; NOT_FOUND if there is none (membership is the caller's check) */
    Conv existing(String convId) throws WireException, SQLException {
        Conv c = load(convId);
        if (c == null) {
            throw WireException.of(WireCode.NOT_FOUND, "NO_SUCH_CONVERSATION", "no conversation " + convId);
        }
        return c;
    }

    /** @return the group; NOT_FOUND if there is none, BAD_FIELD if it is a direct conversation */
    Conv group(String convId) throws WireException, SQLException {
        Conv c = existing(convId);
        if (c.direct()) {
            throw WireException.invalid("conversationId", "BAD_FIELD", "conversation " + convId
                    + " is a direct conversation, not a group");
        }
        return c;
    }
}
