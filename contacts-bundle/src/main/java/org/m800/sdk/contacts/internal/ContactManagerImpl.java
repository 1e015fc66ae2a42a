package org.m800.sdk.contacts.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.ContactEvent;
import org.m800.sdk.contacts.ContactListener;
import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.MatchResult;
import org.m800.sdk.contacts.Presence;
import org.m800.sdk.contacts.PresenceState;
import org.m800.sdk.contacts.PresenceVisibility;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.phone.internal.PhoneNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContactManager} on the {@link FeatureManager} base: the contacts and the block list, with a
 * copy in {@code service.storage} (read on the disk executor at log-in, written there a little after a
 * change); presence is the {@link PresenceTracker}'s, address-book matching the
 * {@link AddressBookMatcher}'s.
 *
 * <p>Locks: {@code lock} guards the in-memory copy; nothing is called while it is held but queuing
 * listener events (in the order of the changes). {@code saveLock} serialises writes of the copy; a
 * save takes {@code saveLock}, then {@code lock} briefly for a snapshot, and writes outside
 * {@code lock}. Never take {@code saveLock} while holding {@code lock}.
 */
public final class ContactManagerImpl extends FeatureManager implements ContactManager {
    private static final Logger LOG = LoggerFactory.getLogger(ContactManagerImpl.class);
    private static final long SAVE_DELAY_MS = 50;
    private static final long RETRY_DELAY_MS = 1_000;
    /** Hex digits of the user-id hash in the storage key of the copy. */
    private static final int KEY_HASH_DIGITS = 32;

    private final StorageService storage;
    private final Supplier<String> configuredRegion;
    private final Consumer<ContactManagerImpl> onClose;
    private final ListenerList<ContactListener> listeners = newListenerList("contacts listener");
    private final PresenceTracker presence;
    private final AddressBookMatcher addressBook;
    private final Object saveLock = new Object();
    /** Serialises loading the stored copy (disk work); taken before {@code lock}, never inside it. */
    private final Object loadLock = new Object();
    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private final BlockList blocked;

    // guarded by lock
    private String user;
    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    /** Tombstones of contacts removed by events, so an older list answer does not bring them back. */
    private final Map<String, Long> removedAt = new HashMap<>();
    private String cursor;
    private boolean syncedThisConnection;
    private boolean dirty;
    private ScheduledFuture<?> saveTask;
    private ScheduledFuture<?> retryTask;

    /**
     * @param ctx deps: {@link FeatureManager#DEPENDENCIES} and service.storage
     * @param region the configured default region (may change), null for none
     * @param onClose told when this manager closes
     */
    ContactManagerImpl(ModuleContext ctx, Supplier<String> region, Consumer<ContactManagerImpl> onClose) {
        super(ctx);
        this.storage = ctx.dependency(StorageService.MODULE, StorageService.class);
        this.configuredRegion = region;
        this.onClose = onClose;
        this.presence = new PresenceTracker(this::request, listeners, this::loggedIn);
        this.addressBook = new AddressBookMatcher(this::request);
        this.blocked = new BlockList(listeners);
        subscribe("contact.*", this::onEvent);
        subscribe("block.*", this::onEvent);
        subscribe("presence.*", this::onEvent);
        start();
    }

    // ================================================================ session (hooks run on the disk executor)

    @Override
    protected void onLoggedIn(String userId) {
        load(userId);
    }

    /** Loads the stored copy of the user's contacts, unless it is loaded. Reads storage: the disk thread, or a reader that came first. */
    private void load(String userId) {
        synchronized (loadLock) {
            synchronized (lock) {
                if (userId.equals(user)) {
                    return;
                }
            }
            byte[] stored = null;
            try {
                stored = storage.read(key(userId)).orElse(null);
            } catch (M800Exception e) {
                LOG.warn("client {}: cannot read the stored contacts: {}", clientId(), e.getMessage());
            }
            synchronized (lock) {
                user = userId;
                clearLocked();
                if (stored != null) {
                    loadLocked(stored);
                }
                LOG.debug("client {}: contacts open with {} contacts, {} blocked", clientId(), contacts.size(),
                        blocked.size());
            }
        }
    }

    /**
     * Makes sure the logged-in user's copy is loaded: a call that comes between a log-in (or the start of
     * a logged-in client) and its {@code onLoggedIn} hook loads it on the caller's thread, so a read
     * never answers from an empty copy.
     */
    private void ensureLoaded() {
        boolean loaded;
        synchronized (lock) {
            loaded = user != null;
        }
        if (!loaded && !isClosed()) {
            accountManager().profile().ifPresent(p -> load(p.userId()));
        }
    }

    /** @return the logged-in user, with the copy loaded; throws CLOSED or ILLEGAL_STATE */
    private String loggedIn() {
        String me = requireUser();
        ensureLoaded();
        return me;
    }

    @Override
    protected void onLoggedOut() {
        save();
        synchronized (lock) {
            user = null;
            clearLocked();
        }
        presence.clear();
    }

    @Override
    protected void onConnected() {
        synchronized (lock) {
            if (user == null || syncedThisConnection) {
                return;
            }
            syncedThisConnection = true;
        }
        syncAfterConnect();
        presence.connected();
    }

    @Override
    protected void onDisconnected() {
        synchronized (lock) {
            syncedThisConnection = false;
        }
    }

    @Override
    protected void onClose() {
        save();
        synchronized (lock) {
            cancel(saveTask);
            saveTask = null;
            cancel(retryTask);
            retryTask = null;
        }
        onClose.accept(this);
    }

    private void syncAfterConnect() {
        sync().whenComplete((v, t) -> {
            if (t == null) {
                return;
            }
            ErrorCode code = t instanceof M800Exception m ? m.code() : ErrorCode.SERVER_ERROR;
            boolean transientFailure = code == ErrorCode.TIMEOUT || code == ErrorCode.SERVER_ERROR
                    || code == ErrorCode.RATE_LIMITED;
            if (transientFailure) {
                LOG.debug("client {}: contacts sync failed, trying again: {}", clientId(), t.toString());
            } else {
                LOG.info("client {}: contacts sync failed: {}", clientId(), t.toString());
            }
            synchronized (lock) {
                syncedThisConnection = false;
                if (transientFailure && !isClosed() && retryTask == null) {
                    // still connected (a server error, a timeout): try again a little later
                    retryTask = scheduler().schedule(this::retry, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    private void retry() {
        synchronized (lock) {
            retryTask = null;
        }
        if (connectService().state() == org.m800.sdk.core.ConnectionState.CONNECTED) {
            onConnected();
        }
    }

    private void clearLocked() {
        contacts.clear();
        blocked.clear();
        removedAt.clear();
        cursor = null;
        syncedThisConnection = false;
    }

    private void loadLocked(byte[] bytes) {
        try {
            StoredContacts stored = StoredContacts.read(bytes);
            cursor = stored.cursor();
            stored.contacts().forEach(c -> contacts.put(c.userId(), c));
            blocked.load(stored.blocked());
        } catch (RuntimeException e) {
            LOG.warn("client {}: the stored contacts are unreadable; a full sync follows: {}", clientId(), e.toString());
        }
    }

    private static String key(String user) {
        return "contacts." + userIdHash(user, KEY_HASH_DIGITS);
    }

    /** Lock held: the copy changed; it is written a little later (changes in a burst are written once). */
    private void saveLaterLocked() {
        dirty = true;
        if (saveTask == null && !isClosed()) {
            // the write forces a file to the disk: on the disk thread, not on the shared scheduler
            saveTask = scheduler().schedule(this::saveOnDisk, SAVE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void saveOnDisk() {
        try {
            diskExecutor().execute(this::save);
        } catch (RejectedExecutionException e) {
            save(); // the SDK is stopping: write it here rather than lose it
        }
    }

    private void save() {
        synchronized (saveLock) {
            String owner;
            byte[] bytes;
            synchronized (lock) {
                saveTask = null;
                if (!dirty || user == null) {
                    return;
                }
                dirty = false;
                owner = user;
                bytes = new StoredContacts(cursor, List.copyOf(contacts.values()), blocked.list())
                        .toBytes();
            }
            try {
                storage.write(key(owner), bytes);
            } catch (RuntimeException e) {
                LOG.warn("client {}: cannot store the contacts: {}", clientId(), e.toString());
            }
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    // ================================================================ input

    /** @return the id of the logged-in user, if any (for the shell) */
    public Optional<String> currentUserId() {
        return Optional.ofNullable(userId());
    }

    // ================================================================ contacts

    @Override
    public CompletableFuture<Contact> add(String userId, String alias) {
        return attempt(() -> {
            String id = ContactInput.userId(userId, "add");
            String a = ContactInput.alias(alias);
            if (id.equals(loggedIn())) {
                throw M800Exception.invalidArgument("you cannot add yourself as a contact (userId " + id + ")");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("userId", id);
            if (alias != null) {
                data.put("alias", a);
            }
            return request("contact.add", data).thenApply(r -> upsert(ContactsWire.contact(r)));
        });
    }

    @Override
    public CompletableFuture<Void> remove(String userId) {
        return attempt(() -> {
            String id = ContactInput.userId(userId, "remove");
            loggedIn();
            return request("contact.remove", Map.of("userId", id)).thenApply(r -> {
                removed(id, r == null || !(r.get("updatedAt") instanceof Number n) ? 0 : n.longValue());
                return null;
            });
        });
    }

    @Override
    public CompletableFuture<Contact> setAlias(String userId, String alias) {
        return attempt(() -> {
            String id = ContactInput.userId(userId, "setAlias");
            String a = ContactInput.alias(alias);
            loggedIn();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("userId", id);
            data.put("alias", a);
            return request("contact.alias", data).thenApply(r -> upsert(ContactsWire.contact(r)));
        });
    }

    @Override
    public List<Contact> contacts() {
        ensureLoaded();
        synchronized (lock) {
            return List.copyOf(contacts.values());
        }
    }

    @Override
    public Optional<Contact> contact(String userId) {
        ensureLoaded();
        synchronized (lock) {
            return Optional.ofNullable(contacts.get(userId));
        }
    }

    /** Applies a contact the server sent (answer, event, list); emits ADDED/UPDATED if it changed the copy. */
    private Contact upsert(Contact c) {
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
                saveLaterLocked();
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
    private void removed(String id, long at) {
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
            saveLaterLocked();
            listeners.emit(l -> l.contactChanged(new ContactEvent(ContactEvent.Kind.REMOVED, old)));
        }
    }

    @Override
    public CompletableFuture<List<Contact>> sync() {
        return attempt(() -> {
            loggedIn();
            String since;
            synchronized (lock) {
                since = cursor;
            }
            Map<String, Object> data = since == null ? Map.of() : Map.of("since", since);
            CompletableFuture<Void> list = request("contact.list", data).thenAccept(
                    r -> applyList(ContactsWire.ContactList.of(r)));
            CompletableFuture<Void> blocks = request("block.list", Map.of()).thenAccept(
                    r -> applyBlockList(ContactsWire.blockList(r)));
            return list.thenCombine(blocks, (a, b) -> contacts());
        });
    }

    /** @deprecated since 1.1, {@link #sync()} */
    @Deprecated
    @Override
    public CompletableFuture<List<Contact>> refresh() {
        return sync();
    }

    private void applyList(ContactsWire.ContactList answer) {
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
            saveLaterLocked();
        }
    }

    // ================================================================ blocking

    @Override
    public CompletableFuture<Void> block(String userId) {
        return attempt(() -> {
            String id = ContactInput.userId(userId, "block");
            if (id.equals(loggedIn())) {
                throw M800Exception.invalidArgument("you cannot block yourself (userId " + id + ")");
            }
            return request("block.add", Map.of("userId", id)).thenApply(r -> {
                blockChanged(ContactsWire.BlockChange.of(r));
                return null;
            });
        });
    }

    @Override
    public CompletableFuture<Void> unblock(String userId) {
        return attempt(() -> {
            String id = ContactInput.userId(userId, "unblock");
            loggedIn();
            return request("block.remove", Map.of("userId", id)).thenApply(r -> {
                blockChanged(ContactsWire.BlockChange.of(r));
                return null;
            });
        });
    }

    @Override
    public List<BlockedUser> blocked() {
        ensureLoaded();
        synchronized (lock) {
            return blocked.list();
        }
    }

    @Override
    public boolean isBlocked(String userId) {
        ensureLoaded();
        synchronized (lock) {
            return blocked.contains(userId);
        }
    }

    private void blockChanged(ContactsWire.BlockChange b) {
        synchronized (lock) {
            if (blocked.apply(b)) {
                saveLaterLocked();
            }
        }
    }

    private void applyBlockList(List<BlockedUser> list) {
        synchronized (lock) {
            blocked.replace(list);
            saveLaterLocked();
        }
    }

    // ================================================================ presence

    @Override
    public CompletableFuture<Presence> setPresence(PresenceState state) {
        return attempt(() -> presence.setPresence(state));
    }

    @Override
    public CompletableFuture<Presence> setStatusText(String text) {
        return attempt(() -> presence.setStatusText(text));
    }

    @Override
    public CompletableFuture<Presence> setLastSeenVisible(boolean visible) {
        return attempt(() -> presence.setLastSeenVisible(visible));
    }

    @Override
    public CompletableFuture<Presence> setPresenceVisibility(PresenceVisibility visibility) {
        return attempt(() -> presence.setVisibility(visibility));
    }

    @Override
    public CompletableFuture<Map<String, Presence>> subscribePresence(Collection<String> userIds) {
        return attempt(() -> presence.subscribe(userIds));
    }

    @Override
    public CompletableFuture<Void> unsubscribePresence(Collection<String> userIds) {
        return attempt(() -> presence.unsubscribe(userIds));
    }

    @Override
    public CompletableFuture<Map<String, Presence>> fetchPresence(Collection<String> userIds) {
        return attempt(() -> presence.fetch(userIds));
    }

    @Override
    public Optional<Presence> presence(String userId) {
        return presence.presence(userId);
    }

    // ================================================================ address book

    @Override
    public CompletableFuture<MatchResult> matchAddressBook(Collection<String> phoneNumbers) {
        return matchAddressBook(phoneNumbers, configuredRegion.get());
    }

    @Override
    public CompletableFuture<MatchResult> matchAddressBook(Collection<String> phoneNumbers, String defaultRegion) {
        return attempt(() -> {
            loggedIn();
            return addressBook.match(phoneNumbers, defaultRegion);
        });
    }

    @Override
    public String normalize(String phoneNumber, String defaultRegion) {
        return PhoneNumbers.normalize(phoneNumber, PhoneNumbers.region(defaultRegion));
    }

    @Override
    public Optional<String> defaultRegion() {
        return Optional.ofNullable(configuredRegion.get());
    }

    // ================================================================ events

    @Override
    public Subscription addListener(ContactListener listener) {
        return listeners.add(listener);
    }

    private void onEvent(ServerEvent e) {
        synchronized (lock) {
            if (user == null) {
                return;
            }
        }
        Map<String, Object> d = e.data();
        try {
            switch (e.type()) {
                case "contact.updated" -> {
                    ContactsWire.ContactChange c = ContactsWire.ContactChange.of(d);
                    if (c.removed()) {
                        removed(c.userId(), c.updatedAt());
                    } else {
                        upsert(c.contact());
                    }
                }
                case "block.updated" -> blockChanged(ContactsWire.BlockChange.of(d));
                case "presence.updated" -> presence.updated(d);
                default -> LOG.debug("client {}: ignoring event {}", clientId(), e.type());
            }
        } catch (M800Exception ex) {
            LOG.warn("client {}: cannot apply contacts event #{} {}: {}", clientId(), e.seq(), e.type(), ex.getMessage());
        }
    }
}
