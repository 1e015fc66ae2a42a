package org.m800.sdk.contacts.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.m800.sdk.contacts.ContactListener;
import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.Presence;
import org.m800.sdk.contacts.PresenceState;
import org.m800.sdk.contacts.PresenceVisibility;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;

/**
 * Presence: this device's state, the presences last seen of other users, subscriptions and the
 * {@code presence.updated} events. Thread-safe; {@code lock} is a leaf.
 */
final class PresenceTracker {
    private static final int REQUEST_SIZE = 500;

    private final Requests requests;
    private final ListenerList<ContactListener> listeners;
    /** The logged-in user; throws CLOSED or ILLEGAL_STATE. */
    private final Supplier<String> requireUser;
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, Presence> presence = new HashMap<>();
    private PresenceState deviceState = PresenceState.ONLINE;

    PresenceTracker(Requests requests, ListenerList<ContactListener> listeners, Supplier<String> requireUser) {
        this.requests = requests;
        this.listeners = listeners;
        this.requireUser = requireUser;
    }

    /** A new connection: the server starts it online, so an away device says so again. */
    void connected() {
        boolean away;
        synchronized (lock) {
            away = deviceState == PresenceState.AWAY;
        }
        if (away) {
            requests.send("presence.set", Map.of("state", "away")).exceptionally(t -> null);
        }
    }

    /** Another user logged in (or none): forget what was seen. */
    void clear() {
        synchronized (lock) {
            presence.clear();
        }
    }

    CompletableFuture<Presence> setPresence(PresenceState state) {
        if (state == null || state == PresenceState.OFFLINE) {
            throw M800Exception.invalidArgument("state must be ONLINE or AWAY (a device is OFFLINE only when it "
                    + "is not connected), was " + state);
        }
        requireUser.get();
        synchronized (lock) {
            deviceState = state;
        }
        return requests.send("presence.set", Map.of("state", state == PresenceState.AWAY ? "away" : "online"))
                .thenApply(this::own);
    }

    CompletableFuture<Presence> setStatusText(String text) {
        String t = text == null ? "" : text;
        if (t.codePointCount(0, t.length()) > ContactManager.MAX_STATUS_TEXT_CHARS) {
            throw M800Exception.invalidArgument("status text is longer than " + ContactManager.MAX_STATUS_TEXT_CHARS
                    + " characters");
        }
        requireUser.get();
        return requests.send("presence.set", Map.of("text", t)).thenApply(this::own);
    }

    CompletableFuture<Presence> setLastSeenVisible(boolean visible) {
        requireUser.get();
        return requests.send("presence.set", Map.of("showLastSeen", visible)).thenApply(this::own);
    }

    CompletableFuture<Presence> setVisibility(PresenceVisibility visibility) {
        if (visibility == null) {
            throw M800Exception.invalidArgument("visibility must be EVERYONE, CONTACTS or NOBODY, was null");
        }
        requireUser.get();
        return requests.send("presence.set", Map.of("visibility", visibility.name().toLowerCase(Locale.ROOT)))
                .thenApply(this::own);
    }

    private Presence own(Map<String, Object> d) {
        Presence p = ContactsWire.presence(d);
        synchronized (lock) {
            presence.put(p.userId(), p);
        }
        return p;
    }

    CompletableFuture<Map<String, Presence>> subscribe(Collection<String> userIds) {
        Collection<String> ids = checkUserIds(userIds);
        String me = requireUser.get();
        if (ids.contains(me)) {
            throw M800Exception.invalidArgument("you cannot subscribe to your own presence (userId " + me + ")");
        }
        if (ids.size() > ContactManager.MAX_PRESENCE_SUBSCRIPTIONS) {
            throw M800Exception.invalidArgument("at most " + ContactManager.MAX_PRESENCE_SUBSCRIPTIONS
                    + " presence subscriptions, got " + ids.size() + " users");
        }
        return inChunks("presence.subscribe", ids);
    }

    CompletableFuture<Void> unsubscribe(Collection<String> userIds) {
        Collection<String> ids = checkUserIds(userIds);
        requireUser.get();
        List<CompletableFuture<Map<String, Object>>> parts = new ArrayList<>();
        for (List<String> chunk : Requests.chunks(new ArrayList<>(ids), REQUEST_SIZE)) {
            parts.add(requests.send("presence.unsubscribe", Map.of("userIds", chunk)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    CompletableFuture<Map<String, Presence>> fetch(Collection<String> userIds) {
        Collection<String> ids = checkUserIds(userIds);
        requireUser.get();
        return inChunks("presence.get", ids);
    }

    private CompletableFuture<Map<String, Presence>> inChunks(String type, Collection<String> ids) {
        List<CompletableFuture<Map<String, Object>>> parts = new ArrayList<>();
        for (List<String> chunk : Requests.chunks(new ArrayList<>(ids), REQUEST_SIZE)) {
            parts.add(requests.send(type, Map.of("userIds", chunk)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Presence> result = new LinkedHashMap<>();
            for (CompletableFuture<Map<String, Object>> f : parts) {
                ContactsWire.presences(f.join()).forEach(p -> result.put(p.userId(), p));
            }
            synchronized (lock) {
                presence.putAll(result);
            }
            return result;
        });
    }

    Optional<Presence> presence(String userId) {
        synchronized (lock) {
            return Optional.ofNullable(presence.get(userId));
        }
    }

    /** {@code presence.updated}. */
    void updated(Map<String, Object> data) {
        Presence p = ContactsWire.presence(data);
        synchronized (lock) {
            if (!p.equals(presence.put(p.userId(), p))) {
                listeners.emit(l -> l.presenceChanged(p));
            }
        }
    }

    private static Collection<String> checkUserIds(Collection<String> userIds) {
        if (userIds == null || userIds.isEmpty()) {
            throw M800Exception.invalidArgument("userIds is empty");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : userIds) {
            ids.add(ContactInput.userId(id, "presence"));
        }
        return ids;
    }
}
