package org.m800.sdk.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records what a chat listener hears, and waits (with a timeout, never a sleep) for what a test expects. */
final class Recorder implements ChatListener {
    final List<Message> received = new ArrayList<>();
    final List<Message> updated = new ArrayList<>();
    final List<MessageUpdate> updates = new ArrayList<>();
    final List<TypingEvent> typing = new ArrayList<>();
    final List<Conversation> conversations = new ArrayList<>();
    final List<GroupChange> changes = new ArrayList<>();
    /** Names of the threads the listener ran on. */
    final List<String> threads = new ArrayList<>();

    @Override
    public synchronized void messageReceived(Message message) {
        received.add(message);
        threads.add(Thread.currentThread().getName());
        notifyAll();
    }

    @Override
    public synchronized void messageUpdated(Message message, MessageUpdate update) {
        updated.add(message);
        updates.add(update);
        notifyAll();
    }

    @Override
    public synchronized void typing(TypingEvent event) {
        typing.add(event);
        notifyAll();
    }

    @Override
    public synchronized void conversationUpdated(Conversation conversation, GroupChange change) {
        conversations.add(conversation);
        changes.add(change);
        notifyAll();
    }

    synchronized int receivedCount() {
        return received.size();
    }

    synchronized List<Message> receivedCopy() {
        return List.copyOf(received);
    }

    /** Waits until the condition on this recorder holds. */
    synchronized void await(String what, Predicate<Recorder> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.test(this)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; received " + received.size()
                        + ", updates " + updates.size() + ", changes " + changes);
            }
            wait(Math.min(left, 100)); // also re-checks conditions on state no listener call announces
        }
    }

    synchronized boolean hasUpdate(String messageId, MessageState state) {
        for (Message m : updated) {
            if (m.id().equals(messageId) && m.state() == state) {
                return true;
            }
        }
        return false;
    }

    synchronized boolean hasUpdate(String messageId, MessageUpdate what) {
        for (int i = 0; i < updated.size(); i++) {
            if (updated.get(i).id().equals(messageId) && updates.get(i) == what) {
                return true;
            }
        }
        return false;
    }

    synchronized boolean hasChange(GroupChange.Kind kind) {
        return changes.stream().anyMatch(c -> c.kind() == kind);
    }

    synchronized Message lastUpdate(String messageId) {
        for (int i = updated.size() - 1; i >= 0; i--) {
            if (updated.get(i).id().equals(messageId)) {
                return updated.get(i);
            }
        }
        return null;
    }

    synchronized List<String> receivedTexts() {
        List<String> t = new ArrayList<>();
        received.forEach(m -> t.add(m.text()));
        return t;
    }
}
