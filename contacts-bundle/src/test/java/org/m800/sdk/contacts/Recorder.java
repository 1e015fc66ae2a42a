package org.m800.sdk.contacts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records what a contacts listener hears, and waits (with a timeout, never a sleep) for what a test expects. */
final class Recorder implements ContactListener {
    final List<ContactEvent> contacts = new ArrayList<>();
    final List<String> blocks = new ArrayList<>();
    final List<Presence> presences = new ArrayList<>();
    /** Names of the threads the listener ran on. */
    final List<String> threads = new ArrayList<>();

    @Override
    public synchronized void contactChanged(ContactEvent event) {
        contacts.add(event);
        threads.add(Thread.currentThread().getName());
        notifyAll();
    }

    @Override
    public synchronized void blockChanged(String userId, boolean blocked) {
        blocks.add((blocked ? "+" : "-") + userId);
        notifyAll();
    }

    @Override
    public synchronized void presenceChanged(Presence presence) {
        presences.add(presence);
        notifyAll();
    }

    synchronized boolean hasContact(ContactEvent.Kind kind, String userId, Predicate<Contact> what) {
        return contacts.stream().anyMatch(e -> e.kind() == kind && e.contact().userId().equals(userId)
                && what.test(e.contact()));
    }

    /** @return the newest presence of the user heard in the state, or null */
    synchronized Presence presence(String userId, PresenceState state) {
        for (int i = presences.size() - 1; i >= 0; i--) {
            Presence p = presences.get(i);
            if (p.userId().equals(userId) && p.state() == state) {
                return p;
            }
        }
        return null;
    }

    /** Waits until the condition on this recorder holds. */
    synchronized void await(String what, Predicate<Recorder> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.test(this)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; contacts " + contacts + ", blocks "
                        + blocks + ", presences " + presences);
            }
            wait(left);
        }
    }
}
