package org.m800.server.internal.contacts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.m800.server.internal.chat.BlockPolicy;
import org.m800.server.internal.db.Database;

/**
 * Every user's block list in memory (loaded once from {@code contact_blocks}, then changed with the
 * table), answering the chat service's question for every recipient without touching the database.
 * Thread-safe and lock-free for readers.
 */
final class BlockList implements BlockPolicy {
    private final ConcurrentHashMap<String, Set<String>> byOwner = new ConcurrentHashMap<>();

    void load(Database database) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT owner_id, blocked_id FROM contact_blocks");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                add(r.getString(1), r.getString(2));
            }
        }
    }

    @Override
    public boolean blocks(String recipientUserId, String senderUserId) {
        Set<String> s = byOwner.get(recipientUserId);
        return s != null && s.contains(senderUserId);
    }

    void add(String owner, String blocked) {
        byOwner.computeIfAbsent(owner, k -> ConcurrentHashMap.newKeySet()).add(blocked);
    }

    void remove(String owner, String blocked) {
        byOwner.computeIfPresent(owner, (k, s) -> {
            s.remove(blocked);
            return s.isEmpty() ? null : s;
        });
    }
}
