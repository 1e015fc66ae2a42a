package org.m800.server.internal.contacts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.m800.server.internal.db.Database;

/**
 * Every user's current contacts in memory (loaded once from {@code contacts}, then changed with the
 * table), so that presence can answer "is the viewer in the owner's contact list" for a
 * {@code contacts} visibility while it holds its lock, without the database. Its size is that of the
 * contact table's live rows, like {@link BlockList}. Thread-safe and lock-free for readers.
 */
final class ContactIndex {
    private final ConcurrentHashMap<String, Set<String>> byOwner = new ConcurrentHashMap<>();

    void load(Database database) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement p = c.prepareStatement("SELECT owner_id, contact_id FROM contacts WHERE removed = FALSE");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                add(r.getString(1), r.getString(2));
            }
        }
    }

    /** @return whether {@code contact} is in {@code owner}'s contact list */
    boolean has(String owner, String contact) {
        Set<String> s = byOwner.get(owner);
        return s != null && s.contains(contact);
    }

    void add(String owner, String contact) {
        byOwner.computeIfAbsent(owner, k -> ConcurrentHashMap.newKeySet()).add(contact);
    }

    void remove(String owner, String contact) {
        byOwner.computeIfPresent(owner, (k, s) -> {
            s.remove(contact);
            return s.isEmpty() ? null : s;
        });
    }
}
