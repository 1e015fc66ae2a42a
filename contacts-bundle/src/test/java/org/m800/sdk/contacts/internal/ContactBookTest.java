package org.m800.sdk.contacts.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.ContactEvent;
import org.m800.sdk.contacts.ContactListener;
import org.m800.sdk.core.ListenerList;

/** The copy's rules: newer wins, tombstones, full and incremental lists, the stored form. */
public class ContactBookTest {

    /** Runs deliveries on the caller's thread, so the test sees them at once and in order. */
    private final ListenerList<ContactListener> listeners = new ListenerList<>(Runnable::run, "test listener");
    private final List<String> told = new ArrayList<>();
    private int changes;
    private final ContactBook book = new ContactBook(listeners, () -> changes++);

    {
        listeners.add(new ContactListener() {
            @Override
            public void contactChanged(ContactEvent e) {
                told.add(e.kind() + " " + e.contact().userId() + "@" + e.contact().updatedAt());
            }

            @Override
            public void blockChanged(String userId, boolean blocked) {
                told.add((blocked ? "BLOCKED " : "UNBLOCKED ") + userId);
            }
        });
        book.open("u-me", null);
    }

    private static Contact contact(String id, long updatedAt) {
        return new Contact(id, id + "-name", "Display " + id, null, 1, updatedAt);
    }

    @Test
    public void anOlderAnswerDoesNotReplaceANewerContact() {
        book.upsert(contact("u-a", 10));
        Contact kept = book.upsert(contact("u-a", 5));
        assertEquals(10, kept.updatedAt());
        assertEquals(List.of("ADDED u-a@10"), told);
    }

    @Test
    public void aRemovalLeavesATombstoneThatAnOlderAnswerCannotUndo() {
        book.upsert(contact("u-a", 10));
        book.removed("u-a", 20);
        book.upsert(contact("u-a", 15));
        assertTrue(book.contact("u-a").isEmpty());
        book.upsert(contact("u-a", 30));
        assertEquals(30, book.contact("u-a").orElseThrow().updatedAt());
        assertEquals(List.of("ADDED u-a@10", "REMOVED u-a@10", "ADDED u-a@30"), told);
    }

    @Test
    public void aFullListRemovesWhatItLacksAndAnIncrementalOneOnlyWhatItNames() {
        book.upsert(contact("u-a", 1));
        book.upsert(contact("u-b", 1));
        book.applyList(new ContactsWire.ContactList(true, List.of(contact("u-b", 1), contact("u-c", 2)), List.of(), "c1"));
        assertEquals(List.of("u-b", "u-c"), book.contacts().stream().map(Contact::userId).toList());
        assertEquals("c1", book.cursor());
        book.applyList(new ContactsWire.ContactList(false, List.of(), List.of(new ContactsWire.Removal("u-c", 3)), "c2"));
        assertEquals(List.of("u-b"), book.contacts().stream().map(Contact::userId).toList());
        assertEquals("c2", book.cursor());
    }

    @Test
    public void blockChangesAreToldOnlyWhenTheyChangeTheList() {
        BlockedUser x = new BlockedUser("u-x", "x", "X", 1);
        book.blockChanged(new ContactsWire.BlockChange("u-x", true, x));
        book.blockChanged(new ContactsWire.BlockChange("u-x", true, x));
        assertTrue(book.isBlocked("u-x"));
        book.applyBlockList(List.of(new BlockedUser("u-y", "y", "Y", 2)));
        assertFalse(book.isBlocked("u-x"));
        assertEquals(List.of("BLOCKED u-x", "BLOCKED u-y", "UNBLOCKED u-x"), told);
    }

    @Test
    public void theStoredFormOpensTheSameCopyWithoutEvents() {
        book.upsert(contact("u-a", 10));
        book.blockChanged(new ContactsWire.BlockChange("u-x", true, new BlockedUser("u-x", "x", "X", 1)));
        book.applyList(new ContactsWire.ContactList(false, List.of(), List.of(), "c9"));
        CopyWriter.Snapshot snapshot = book.snapshot();
        assertEquals(ContactBook.key("u-me"), snapshot.key());
        assertTrue(changes > 0);

        ContactBook reopened = new ContactBook(listeners, () -> { });
        told.clear();
        reopened.open("u-me", snapshot.bytes());
        assertEquals(book.contacts(), reopened.contacts());
        assertEquals(book.blocked(), reopened.blocked());
        assertEquals("c9", reopened.cursor());
        assertArrayEquals(snapshot.bytes(), reopened.snapshot().bytes());
        assertEquals(List.of(), told);
    }

    @Test
    public void anUnreadableStoredFormFailsAndLeavesAnEmptyOpenCopy() {
        book.upsert(contact("u-a", 10));
        try {
            book.open("u-other", "not json".getBytes(StandardCharsets.UTF_8));
            fail("an unreadable copy must be reported");
        } catch (RuntimeException expected) {
            // the manager logs it and syncs in full
        }
        assertEquals("u-other", book.user());
        assertEquals(List.of(), book.contacts());
        assertNull(book.cursor());
    }

    @Test
    public void aClosedCopyHasNoUserAndNothingToStore() {
        book.upsert(contact("u-a", 10));
        book.close();
        assertNull(book.user());
        assertNull(book.snapshot());
        assertEquals(List.of(), book.contacts());
    }
}
