package org.m800.sdk.contacts.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.ContactListener;
import org.m800.sdk.core.ListenerList;

/**
 * The user's block list as the contacts keep it: changes from answers, events and the full list,
 * each told to the listeners (queued in order). Guarded by the lock of the {@link ContactBook}
 * that owns it: every method is called with that lock held.
 */
final class BlockList {
    private final ListenerList<ContactListener> listeners;
    private final Map<String, BlockedUser> blocked = new LinkedHashMap<>();

    BlockList(ListenerList<ContactListener> listeners) {
        this.listeners = listeners;
    }

    void clear() {
        blocked.clear();
    }

    /** Takes the stored list (no events). */
    void load(List<BlockedUser> stored) {
        stored.forEach(b -> blocked.put(b.userId(), b));
    }

    List<BlockedUser> list() {
        return List.copyOf(blocked.values());
    }

    boolean contains(String userId) {
        return blocked.containsKey(userId);
    }

    int size() {
        return blocked.size();
    }

    /** @return whether the change changed the list */
    boolean apply(ContactsWire.BlockChange b) {
        boolean changed = b.blocked() ? blocked.put(b.userId(), b.user()) == null : blocked.remove(b.userId()) != null;
        if (changed) {
            listeners.emit(l -> l.blockChanged(b.userId(), b.blocked()));
        }
        return changed;
    }

    /** Replaces the list with the server's full list; tells each user that came or went. */
    void replace(List<BlockedUser> fresh) {
        Map<String, BlockedUser> next = new LinkedHashMap<>();
        fresh.forEach(b -> next.put(b.userId(), b));
        List<String> added = next.keySet().stream().filter(id -> !blocked.containsKey(id)).toList();
        List<String> gone = blocked.keySet().stream().filter(id -> !next.containsKey(id)).toList();
        blocked.clear();
        blocked.putAll(next);
        added.forEach(id -> listeners.emit(l -> l.blockChanged(id, true)));
        gone.forEach(id -> listeners.emit(l -> l.blockChanged(id, false)));
    }
}
