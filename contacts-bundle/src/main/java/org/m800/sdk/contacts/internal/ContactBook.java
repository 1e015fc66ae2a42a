package org.m800.sdk.contacts.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.ContactEvent;
import org.m800.sdk.contacts.ContactListener;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.ListenerList;

/**
 * The logged-in user's copy of the contacts and the block list, with the cursor of the last list
 * answer: what the server's answers and events change, what reads answer from, and what is stored.
 * A newer contact wins over an older one, and a removal leaves a tombstone so an older answer does not
 * bring the contact back.
 *
 * <p>Thread-safe, with one lock. Under it this class only queues listener events (so they are told in
 * the order of the changes) and tells {@code changed} (the {@link CopyWriter}, which must not take a
 * lock the caller might hold); it never does disk or network work.
 */
final class ContactBook {

    /** Hex digits of the user-id hash in the storage key of the copy. */
    private static final int KEY_HASH_DIGITS = 32;

    private final ListenerList<ContactListener> listeners;
    private final Runnable changed;
    private final Object lock = new Object();
    // guarded by lock
    private final BlockList blocked;
    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    /** Tombstones of contacts removed by events, so an older list answer does not bring them back. */
    private final Map<String, Long> removedAt = new HashMap<>();
    private String user;
    private String cursor;

    /**
     * @param listeners told of every change
     * @param changed told, under this book's lock, whenever the stored form changed
     */
    ContactBook(ListenerList<ContactListener> listeners, Runnable changed) {
        this.listeners = listeners;
        this.changed = changed;
        this.blocked = new BlockList(listeners);
    }

    /** @return the storage key of a user's copy (the same in every version) */
    static String key(String userId) {
        return "contacts." + FeatureManager.userIdHash(userId, KEY_HASH_DIGITS);
    }

    /** @return the user whose copy this is, or null when none is open */
    String user() {
        synchronized (lock) {
            return user;
        }
    }

    /**
     * Opens {@code userId}'s copy from its stored form, without events; an unreadable stored form leaves
     * the copy empty (the next sync fills it).
     *
     * @param stored the stored form, or null for none
     * @throws RuntimeException if {@code stored} cannot be read; the copy is open, and empty
     */
    void open(String userId, byte[] stored) {
        synchronized (lock) {
            user = userId;
            clear();
            if (stored != null) {
                StoredContacts copy = StoredContacts.read(stored);
                cursor = copy.cursor();
                copy.contacts().forEach(c -> contacts.put(c.userId(), c));
                blocked.load(copy.blocked());
            }
        }
    }

    /** Closes the copy (the user logged out), without events. */
    void close() {
        synchronized (lock) {
            user = null;
            clear();
        }
    }

    private void clear() {
        contacts.clear();
        blocked.clear();
        removedAt.clear();
        cursor = null;
    }

    /** @return the copy to store, or null when none is open */
    CopyWriter.Snapshot snapshot() {
        synchronized (lock) {
            return user == null ? null : new CopyWriter.Snapshot(key(user),
                    new StoredContacts(cursor, List.copyOf(contacts.values()), blocked.list()).toBytes());
        }
    }

    /** @return a short description for log lines */
    String summary() {
        synchronized (lock) {
            return contacts.size() + " contacts, " + blocked.size() + " blocked";
        }
    }

    // ------------------------------------------------------------ reads

    /** @return the cursor of the last list answer, or null for a full list next */
    String cursor() {
        synchronized (lock) {
            return cursor;
        }
    }

    List<Contact> contacts() {
        synchronized (lock) {
            return List.copyOf(contacts.values());
        }
    }

    Optional<Contact> contact(String userId) {
        synchronized (lock) {
            return Optional.ofNullable(contacts.get(userId));
        }
    }

    List<BlockedUser> blocked() {
        synchronized (lock) {
            return blocked.list();
        }
    }

    boolean isBlocked(String userId) {
        synchronized (lock) {
            return blocked.contains(userId);
        }
    }

    // ------------------------------------------------------------ changes

    /**
     * Applies a contact the server sent (answer, event, list); tells ADDED or UPDATED if it changed the copy.
     *
     * @return the contact as the copy has it now (an older answer does not replace a newer contact)
     */
    Contact upsert(Contact c) {
        synchronized (lock) {
            Contact old = contacts.get(c.userId());
            Long gone = removedAt.get(c.userId());
            if (old != null && old.updatedAt() > c.updatedAt()) {
                return old;
            }
            if (old == null && gone != null && gone > c.updatedAt()) {
                return c;
            }
            removedAt.remove(c.userId());
            if (!c.equals(old)) {
                contacts.put(c.userId(), c);
                changed.run();
                ContactEvent e = new ContactEvent(old == null ? ContactEvent.Kind.ADDED : ContactEvent.Kind.UPDATED, c);
                listeners.emit(l -> l.contactChanged(e));
            }
        }
        return c;
    }

    /**
     * Applies a removal the server reported (answer, event, incremental list) at server time {@code at};
     * a tombstone keeps an older answer from bringing the contact back. {@code at} &lt; 0: a full list no
     * longer has it (no tombstone: it was removed at an unknown time).
     */
    void removed(String id, long at) {
        synchronized (lock) {
            Contact old = contacts.get(id);
            if (at >= 0) {
                if (old != null && old.updatedAt() > at) {
                    return;
                }
                removedAt.put(id, at);
            }
            if (old == null) {
                return;
            }
            contacts.remove(id);
            changed.run();
            listeners.emit(l -> l.contactChanged(new ContactEvent(ContactEvent.Kind.REMOVED, old)));
        }
    }

    /** Applies the answer to {@code contact.list}: full (what it lacks is gone) or the changes since the cursor. */
    void applyList(ContactsWire.ContactList answer) {
        if (answer.full()) {
            Set<String> keep = new LinkedHashSet<>();
            answer.contacts().forEach(c -> keep.add(c.userId()));
            List<String> gone = new ArrayList<>();
            synchronized (lock) {
                contacts.keySet().stream().filter(id -> !keep.contains(id)).forEach(gone::add);
            }
            gone.forEach(id -> removed(id, -1));
        } else {
            answer.removed().forEach(r -> removed(r.userId(), r.updatedAt()));
        }
        answer.contacts().forEach(this::upsert);
        synchronized (lock) {
            cursor = answer.cursor();
            changed.run();
        }
    }

    /** Applies one block or unblock (answer or event). */
    void blockChanged(ContactsWire.BlockChange b) {
        synchronized (lock) {
            if (blocked.apply(b)) {
                changed.run();
            }
        }
    }

    /** Replaces the block list with the server's full one. */
    void applyBlockList(List<BlockedUser> list) {
        synchronized (lock) {
            blocked.replace(list);
            changed.run();
        }
    }
}
