package org.m800.sdk.contacts.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.ContactListener;
import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.MatchResult;
import org.m800.sdk.contacts.Presence;
import org.m800.sdk.contacts.PresenceState;
import org.m800.sdk.contacts.PresenceVisibility;
import org.m800.sdk.contacts.UserSummary;
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
 * {@link ContactManager} on the {@link FeatureManager} base: checks the input, sends the requests and
 * keeps the copy in step with the session. The copy of the contacts and the block list is the
 * {@link ContactBook}'s, stored in {@code service.storage} (read on the disk executor at log-in, written
 * there by the {@link CopyWriter} a little after a change); presence is the {@link PresenceTracker}'s,
 * address-book matching the {@link AddressBookMatcher}'s, finding people the {@link UserFinder}'s.
 *
 * <p>Locks: {@code loadLock} serialises loading the stored copy; {@code lock} guards only the sync
 * retry. The book takes its own lock; never flush the writer while holding one of them.
 */
public final class ContactManagerImpl extends FeatureManager implements ContactManager {
    private static final Logger LOG = LoggerFactory.getLogger(ContactManagerImpl.class);
    private static final long RETRY_DELAY_MS = 1_000;

    private final StorageService storage;
    private final Supplier<String> configuredRegion;
    private final Consumer<ContactManagerImpl> onClose;
    private final ListenerList<ContactListener> listeners = newListenerList("contacts listener");
    private final PresenceTracker presence;
    private final UserFinder users;
    private final AddressBookMatcher addressBook;
    private final CopyWriter writer;
    private final ContactBook book;
    /** Serialises loading the stored copy (disk work); taken before {@code lock}, never inside it. */
    private final Object loadLock = new Object();
    private final Object lock = new Object();
    // guarded by lock
    private boolean syncedThisConnection;
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
        this.users = new UserFinder(this::request);
        this.writer = new CopyWriter(ctx.clientId(), storage, ctx.scheduler(), ctx.diskExecutor(), this::snapshot);
        this.book = new ContactBook(listeners, writer::changed);
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
            if (userId.equals(book.user())) {
                return;
            }
            byte[] stored = null;
            try {
                stored = storage.read(ContactBook.key(userId)).orElse(null);
            } catch (M800Exception e) {
                LOG.warn("client {}: cannot read the stored contacts: {}", clientId(), e.getMessage());
            }
            synchronized (lock) {
                syncedThisConnection = false;
            }
            try {
                book.open(userId, stored);
            } catch (RuntimeException e) {
                LOG.warn("client {}: the stored contacts are unreadable; a full sync follows: {}", clientId(), e.toString());
            }
            LOG.debug("client {}: contacts open with {}", clientId(), book.summary());
        }
    }

    /**
     * Makes sure the logged-in user's copy is loaded: a call that comes between a log-in (or the start of
     * a logged-in client) and its {@code onLoggedIn} hook loads it on the caller's thread, so a read
     * never answers from an empty copy.
     */
    private void ensureLoaded() {
        if (book.user() == null && !isClosed()) {
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
        writer.flush();
        book.close();
        synchronized (lock) {
            syncedThisConnection = false;
        }
        presence.clear();
    }

    @Override
    protected void onConnected() {
        if (book.user() == null) {
            return;
        }
        synchronized (lock) {
            if (syncedThisConnection) {
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
        writer.close();
        synchronized (lock) {
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

    /** @return the copy to store, or null when no user is logged in; takes the book's lock */
    private CopyWriter.Snapshot snapshot() {
        return book.snapshot();
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
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
            return request("contact.add", data).thenApply(r -> book.upsert(ContactsWire.contact(r)));
        });
    }

    @Override
    public CompletableFuture<Void> remove(String userId) {
        return attempt(() -> {
            String id = ContactInput.userId(userId, "remove");
            loggedIn();
            return request("contact.remove", Map.of("userId", id)).thenApply(r -> {
                book.removed(id, r == null || !(r.get("updatedAt") instanceof Number n) ? 0 : n.longValue());
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
            return request("contact.alias", data).thenApply(r -> book.upsert(ContactsWire.contact(r)));
        });
    }

    @Override
    public List<Contact> contacts() {
        ensureLoaded();
        return book.contacts();
    }

    @Override
    public Optional<Contact> contact(String userId) {
        ensureLoaded();
        return book.contact(userId);
    }

    @Override
    public CompletableFuture<List<Contact>> sync() {
        return attempt(() -> {
            loggedIn();
            String since = book.cursor();
            Map<String, Object> data = since == null ? Map.of() : Map.of("since", since);
            CompletableFuture<Void> list = request("contact.list", data).thenAccept(
                    r -> book.applyList(ContactsWire.ContactList.of(r)));
            CompletableFuture<Void> blocks = request("block.list", Map.of()).thenAccept(
                    r -> book.applyBlockList(ContactsWire.blockList(r)));
            return list.thenCombine(blocks, (a, b) -> contacts());
        });
    }

    /** @deprecated since 1.1, {@link #sync()} */
    @Deprecated
    @Override
    public CompletableFuture<List<Contact>> refresh() {
        return sync();
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
                book.blockChanged(ContactsWire.BlockChange.of(r));
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
                book.blockChanged(ContactsWire.BlockChange.of(r));
                return null;
            });
        });
    }

    @Override
    public List<BlockedUser> blocked() {
        ensureLoaded();
        return book.blocked();
    }

    @Override
    public boolean isBlocked(String userId) {
        ensureLoaded();
        return book.isBlocked(userId);
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

    // ================================================================ finding people

    @Override
    public CompletableFuture<Optional<UserSummary>> findUser(String username) {
        return attempt(() -> {
            loggedIn();
            return users.find(username);
        });
    }

    @Override
    public CompletableFuture<List<UserSummary>> searchUsers(String displayNamePrefix, int limit) {
        return attempt(() -> {
            loggedIn();
            return users.search(displayNamePrefix, limit);
        });
    }

    @Override
    public CompletableFuture<Boolean> setDiscoverable(boolean byDisplayName) {
        return attempt(() -> {
            loggedIn();
            return users.discoverable(byDisplayName);
        });
    }

    // ================================================================ events

    @Override
    public Subscription addListener(ContactListener listener) {
        return listeners.add(listener);
    }

    private void onEvent(ServerEvent e) {
        if (book.user() == null) {
            return;
        }
        Map<String, Object> d = e.data();
        try {
            switch (e.type()) {
                case "contact.updated" -> {
                    ContactsWire.ContactChange c = ContactsWire.ContactChange.of(d);
                    if (c.removed()) {
                        book.removed(c.userId(), c.updatedAt());
                    } else {
                        book.upsert(c.contact());
                    }
                }
                case "block.updated" -> book.blockChanged(ContactsWire.BlockChange.of(d));
                case "presence.updated" -> presence.updated(d);
                default -> LOG.debug("client {}: ignoring event {}", clientId(), e.type());
            }
        } catch (M800Exception ex) {
            LOG.warn("client {}: cannot apply contacts event #{} {}: {}", clientId(), e.seq(), e.type(), ex.getMessage());
        }
    }
}
