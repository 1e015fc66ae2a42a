package org.m800.sdk.contacts.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.m800.sdk.contacts.AddressBookMatch;
import org.m800.sdk.contacts.BlockedUser;
import org.m800.sdk.contacts.Contact;
import org.m800.sdk.contacts.ContactEvent;
import org.m800.sdk.contacts.ContactListener;
import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.MatchResult;
import org.m800.sdk.contacts.Presence;
import org.m800.sdk.contacts.PresenceState;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContactManager} over {@code service.connect} and {@code service.notification}, with a copy of
 * the contacts and the block list in {@code service.storage}.
 *
 * <p>Locks: {@code lock} guards the in-memory state; it is a leaf: nothing is called while it is held
 * (no request, no storage, no listener). {@code saveLock} serialises the writes of the copy; a save
 * takes {@code saveLock}, then {@code lock} briefly for a snapshot, and writes outside {@code lock}.
 * Never take {@code saveLock} while holding {@code lock}. Listeners run through the client's event
 * executor after the state changed, outside both locks.
 */
public final class ContactManagerImpl implements ContactManager, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContactManagerImpl.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SAVE_DELAY_MS = 50;
    private static final int PRESENCE_REQUEST_SIZE = 500;
    private static final long RETRY_DELAY_MS = 1_000;

    private final String clientId;
    private final ConnectService connect;
    private final AccountManager account;
    private final StorageService storage;
    private final Executor events;
    private final ScheduledExecutorService scheduler;
    private final Executor disk;
    private final Supplier<String> configuredRegion;
    private final Consumer<ContactManagerImpl> onClose;
    private final List<ContactListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Object saveLock = new Object();
    private final Object lock = new Object();

    // guarded by lock
    private String userId;
    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    private final Map<String, BlockedUser> blocked = new LinkedHashMap<>();
    private final Map<String, Presence> presence = new HashMap<>();
    /** Tombstones of contacts removed by events, so an older list answer does not bring them back. */
    private final Map<String, Long> removedAt = new HashMap<>();
    private String cursor;
    private PresenceState deviceState = PresenceState.ONLINE;
    private boolean refreshedThisConnection;
    private boolean dirty;
    private ScheduledFuture<?> saveTask;
    private ScheduledFuture<?> retryTask;
    private boolean closed;

    /**
     * @param ctx deps: service.connect, service.notification, account, service.storage
     * @param region the configured default region (may change), null for none
     * @param onClose told when this manager closes
     */
    ContactManagerImpl(ModuleContext ctx, Supplier<String> region, Consumer<ContactManagerImpl> onClose) {
        this.clientId = ctx.clientId();
        this.connect = ctx.dependency(ConnectService.MODULE, ConnectService.class);
        NotificationService notifications = ctx.dependency(NotificationService.MODULE, NotificationService.class);
        this.account = ctx.dependency(AccountManager.MODULE, AccountManager.class);
        this.storage = ctx.dependency(StorageService.MODULE, StorageService.class);
        this.events = ctx.eventExecutor();
        this.scheduler = ctx.scheduler();
        this.disk = ctx.diskExecutor();
        this.configuredRegion = region;
        this.onClose = onClose;
        account.profile().ifPresent(p -> open(p.userId()));
        subscriptions.add(notifications.subscribe("contact.*", this::onEvent));
        subscriptions.add(notifications.subscribe("block.*", this::onEvent));
        subscriptions.add(notifications.subscribe("presence.*", this::onEvent));
        subscriptions.add(account.onProfile(this::onProfile));
        subscriptions.add(connect.onStateChange(this::onState));
    }

    // ================================================================ lifecycle

    private void onProfile(Profile p) {
        if (p == null) {
            save();
            synchronized (lock) {
                userId = null;
                clearLocked();
            }
            return;
        }
        open(p.userId());
        if (connect.state() == ConnectionState.CONNECTED) {
            connected();
        }
    }

    private void onState(ConnectionStateEvent e) {
        if (e.newState() == ConnectionState.CONNECTED) {
            String user = connect.userId();
            if (user != null) {
                open(user);
            }
            connected();
        } else if (e.oldState() == ConnectionState.CONNECTED) {
            synchronized (lock) {
                refreshedThisConnection = false;
            }
        }
    }

    private void connected() {
        PresenceState state;
        synchronized (lock) {
            if (userId == null || closed || refreshedThisConnection) {
                return;
            }
            refreshedThisConnection = true;
            state = deviceState;
        }
        refresh().whenComplete((v, t) -> {
            if (t != null) {
                Throwable cause = cause(t);
                ErrorCode code = cause instanceof M800Exception m ? m.code() : ErrorCode.SERVER_ERROR;
                boolean transientFailure = code == ErrorCode.TIMEOUT || code == ErrorCode.SERVER_ERROR
                        || code == ErrorCode.RATE_LIMITED;
                if (transientFailure) {
                    LOG.debug("client {}: contacts refresh failed, trying again: {}", clientId, cause.toString());
                } else {
                    LOG.info("client {}: contacts refresh failed: {}", clientId, cause.toString());
                }
                synchronized (lock) {
                    refreshedThisConnection = false;
                    if (transientFailure && !closed && retryTask == null) {
                        // still connected (a server error, a timeout): try again a little later
                        retryTask = scheduler.schedule(this::retry, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
                    }
                }
            }
        });
        if (state == PresenceState.AWAY) {
            // the server starts every new connection online: tell it again that this device is away
            request("presence.set", Map.of("state", "away")).exceptionally(t -> null);
        }
    }

    private void retry() {
        synchronized (lock) {
            retryTask = null;
        }
        if (connect.state() == ConnectionState.CONNECTED) {
            connected();
        }
    }

    /** Loads the stored copy of the user's contacts, if the user changed. */
    private void open(String user) {
        synchronized (lock) {
            if (closed || user.equals(userId)) {
                return;
            }
        }
        Optional<byte[]> stored = Optional.empty();
        try {
            stored = storage.read(key(user));
        } catch (M800Exception e) {
            LOG.warn("client {}: cannot read the stored contacts: {}", clientId, e.getMessage());
        }
        synchronized (lock) {
            if (closed || user.equals(userId)) {
                return;
            }
            userId = user;
            clearLocked();
            stored.ifPresent(this::loadLocked);
            LOG.debug("client {}: contacts open with {} contacts, {} blocked", clientId, contacts.size(), blocked.size());
        }
    }

    private void clearLocked() {
        contacts.clear();
        blocked.clear();
        presence.clear();
        removedAt.clear();
        cursor = null;
        refreshedThisConnection = false;
    }

    @SuppressWarnings("unchecked")
    private void loadLocked(byte[] bytes) {
        try {
            Map<String, Object> m = JSON.readValue(bytes, Map.class);
            cursor = (String) m.get("cursor");
            for (Object o : (List<Object>) m.getOrDefault("contacts", List.of())) {
                Contact c = contact((Map<String, Object>) o);
                contacts.put(c.userId(), c);
            }
            for (Object o : (List<Object>) m.getOrDefault("blocked", List.of())) {
                BlockedUser b = blockedUser((Map<String, Object>) o);
                blocked.put(b.userId(), b);
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("client {}: the stored contacts are unreadable; a full refresh follows: {}", clientId, e.toString());
            contacts.clear();
            blocked.clear();
            cursor = null;
        }
    }

    private static String key(String user) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return "contacts." + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        save();
        synchronized (lock) {
            closed = true;
            if (saveTask != null) {
                saveTask.cancel(false);
                saveTask = null;
            }
            if (retryTask != null) {
                retryTask.cancel(false);
                retryTask = null;
            }
        }
        listeners.clear();
        onClose.accept(this);
    }

    /** Lock held: the copy changed; it is written a little later (changes in a burst are written once). */
    private void saveLaterLocked() {
        dirty = true;
        if (saveTask == null && !closed) {
            // the write forces a file to the disk: on the disk thread, not on the shared scheduler
            saveTask = scheduler.schedule(this::saveOnDisk, SAVE_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void saveOnDisk() {
        try {
            disk.execute(this::save);
        } catch (RejectedExecutionException e) {
            save(); // the SDK is stopping: write it here rather than lose it
        }
    }

    private void save() {
        synchronized (saveLock) {
            String user;
            byte[] bytes;
            synchronized (lock) {
                saveTask = null;
                if (!dirty || userId == null) {
                    return;
                }
                dirty = false;
                user = userId;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("v", 1);
                m.put("cursor", cursor);
                List<Object> cs = new ArrayList<>();
                contacts.values().forEach(c -> cs.add(toMap(c)));
                m.put("contacts", cs);
                List<Object> bs = new ArrayList<>();
                blocked.values().forEach(b -> bs.add(toMap(b)));
                m.put("blocked", bs);
                try {
                    bytes = JSON.writeValueAsBytes(m);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            try {
                storage.write(key(user), bytes);
            } catch (RuntimeException e) {
                LOG.warn("client {}: cannot store the contacts: {}", clientId, e.toString());
            }
        }
    }

    // ================================================================ requests

    private CompletableFuture<Map<String, Object>> request(String type, Map<String, ?> data) {
        try {
            return connect.request(type, data);
        } catch (M800Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private String requireUser() {
        synchronized (lock) {
            if (closed) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the contacts of client " + clientId + " are closed");
            }
            if (userId == null) {
                String fromAccount = account.profile().map(Profile::userId).orElse(null);
                if (fromAccount == null) {
                    throw new M800Exception(ErrorCode.ILLEGAL_STATE, "no user is logged in to client " + clientId);
                }
                return fromAccount;
            }
            return userId;
        }
    }

    /** @return the id of the logged-in user, if any (for the shell) */
    public Optional<String> currentUserId() {
        synchronized (lock) {
            return Optional.ofNullable(userId);
        }
    }

    private static String checkUserId(String userId, String what) {
        if (userId == null || userId.isBlank()) {
            throw M800Exception.invalidArgument(what + ": userId is required");
        }
        if (userId.length() > 64) {
            throw M800Exception.invalidArgument(what + ": userId is longer than 64 characters");
        }
        return userId;
    }

    private static String checkAlias(String alias) {
        if (alias == null || alias.isBlank()) {
            return null;
        }
        String a = alias.strip();
        if (a.codePointCount(0, a.length()) > MAX_ALIAS_CHARS) {
            throw M800Exception.invalidArgument("alias is longer than " + MAX_ALIAS_CHARS + " characters");
        }
        return a;
    }

    /** Runs the argument checks; a failure becomes a failed future. */
    private static <T> CompletableFuture<T> checked(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (M800Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ================================================================ contacts

    @Override
    public CompletableFuture<Contact> add(String userId, String alias) {
        return checked(() -> {
            String id = checkUserId(userId, "add");
            String a = checkAlias(alias);
            if (id.equals(requireUser())) {
                throw M800Exception.invalidArgument("you cannot add yourself as a contact (userId " + id + ")");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("userId", id);
            if (alias != null) {
                data.put("alias", a);
            }
            return request("contact.add", data).thenApply(r -> upsert(contact(r)));
        });
    }

    @Override
    public CompletableFuture<Void> remove(String userId) {
        return checked(() -> {
            String id = checkUserId(userId, "remove");
            requireUser();
            return request("contact.remove", Map.of("userId", id)).thenApply(r -> {
                removed(id, num(r.get("updatedAt")));
                return null;
            });
        });
    }

    @Override
    public CompletableFuture<Contact> setAlias(String userId, String alias) {
        return checked(() -> {
            String id = checkUserId(userId, "setAlias");
            String a = checkAlias(alias);
            requireUser();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("userId", id);
            data.put("alias", a);
            return request("contact.alias", data).thenApply(r -> upsert(contact(r)));
        });
    }

    @Override
    public List<Contact> contacts() {
        synchronized (lock) {
            return List.copyOf(contacts.values());
        }
    }

    @Override
    public Optional<Contact> contact(String userId) {
        synchronized (lock) {
            return Optional.ofNullable(contacts.get(userId));
        }
    }

    /** Applies a contact the server sent (answer, event, list); emits ADDED/UPDATED if it changed the copy. */
    private Contact upsert(Contact c) {
        ContactEvent event = null;
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
                event = new ContactEvent(old == null ? ContactEvent.Kind.ADDED : ContactEvent.Kind.UPDATED, c);
            }
        }
        if (event != null) {
            ContactEvent e = event;
            emit(l -> l.contactChanged(e));
        }
        return c;
    }

    /**
     * Applies a removal the server reported (answer, event, incremental list) at server time {@code at};
     * a tombstone keeps an older answer from bringing the contact back. {@code at} &lt; 0: a full list no
     * longer has it (no tombstone: it was removed at an unknown time).
     */
    private void removed(String id, long at) {
        Contact old;
        synchronized (lock) {
            old = contacts.get(id);
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
        }
        emit(l -> l.contactChanged(new ContactEvent(ContactEvent.Kind.REMOVED, old)));
    }

    @Override
    public CompletableFuture<List<Contact>> refresh() {
        return checked(() -> {
            requireUser();
            String since;
            synchronized (lock) {
                since = cursor;
            }
            Map<String, Object> data = since == null ? Map.of() : Map.of("since", since);
            CompletableFuture<Void> list = request("contact.list", data).thenAccept(this::applyList);
            CompletableFuture<Void> blocks = request("block.list", Map.of()).thenAccept(this::applyBlockList);
            return list.thenCombine(blocks, (a, b) -> contacts());
        });
    }

    @SuppressWarnings("unchecked")
    private void applyList(Map<String, Object> answer) {
        boolean full = Boolean.TRUE.equals(answer.get("full"));
        List<Contact> listed = new ArrayList<>();
        for (Object o : (List<Object>) answer.getOrDefault("contacts", List.of())) {
            listed.add(contact((Map<String, Object>) o));
        }
        if (full) {
            Set<String> keep = new LinkedHashSet<>();
            listed.forEach(c -> keep.add(c.userId()));
            List<Contact> gone = new ArrayList<>();
            synchronized (lock) {
                for (Contact c : contacts.values()) {
                    if (!keep.contains(c.userId())) {
                        gone.add(c);
                    }
                }
            }
            gone.forEach(c -> removed(c.userId(), -1));
        } else {
            for (Object o : (List<Object>) answer.getOrDefault("removed", List.of())) {
                Map<String, Object> r = (Map<String, Object>) o;
                removed(String.valueOf(r.get("userId")), num(r.get("updatedAt")));
            }
        }
        listed.forEach(this::upsert);
        synchronized (lock) {
            cursor = (String) answer.get("cursor");
            saveLaterLocked();
        }
    }

    // ================================================================ blocking

    @Override
    public CompletableFuture<Void> block(String userId) {
        return checked(() -> {
            String id = checkUserId(userId, "block");
            if (id.equals(requireUser())) {
                throw M800Exception.invalidArgument("you cannot block yourself (userId " + id + ")");
            }
            return request("block.add", Map.of("userId", id)).thenApply(r -> {
                blockChanged(r);
                return null;
            });
        });
    }

    @Override
    public CompletableFuture<Void> unblock(String userId) {
        return checked(() -> {
            String id = checkUserId(userId, "unblock");
            requireUser();
            return request("block.remove", Map.of("userId", id)).thenApply(r -> {
                blockChanged(r);
                return null;
            });
        });
    }

    @Override
    public List<BlockedUser> blocked() {
        synchronized (lock) {
            return List.copyOf(blocked.values());
        }
    }

    @Override
    public boolean isBlocked(String userId) {
        synchronized (lock) {
            return blocked.containsKey(userId);
        }
    }

    private void blockChanged(Map<String, Object> d) {
        String id = String.valueOf(d.get("userId"));
        boolean now = Boolean.TRUE.equals(d.get("blocked"));
        boolean changed;
        synchronized (lock) {
            changed = now ? blocked.put(id, blockedUser(d)) == null : blocked.remove(id) != null;
            if (changed) {
                saveLaterLocked();
            }
        }
        if (changed) {
            emit(l -> l.blockChanged(id, now));
        }
    }

    @SuppressWarnings("unchecked")
    private void applyBlockList(Map<String, Object> answer) {
        Map<String, BlockedUser> fresh = new LinkedHashMap<>();
        for (Object o : (List<Object>) answer.getOrDefault("blocked", List.of())) {
            BlockedUser b = blockedUser((Map<String, Object>) o);
            fresh.put(b.userId(), b);
        }
        List<String> added = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        synchronized (lock) {
            fresh.keySet().stream().filter(id -> !blocked.containsKey(id)).forEach(added::add);
            blocked.keySet().stream().filter(id -> !fresh.containsKey(id)).forEach(gone::add);
            blocked.clear();
            blocked.putAll(fresh);
            saveLaterLocked();
        }
        added.forEach(id -> emit(l -> l.blockChanged(id, true)));
        gone.forEach(id -> emit(l -> l.blockChanged(id, false)));
    }

    // ================================================================ presence

    @Override
    public CompletableFuture<Presence> setPresence(PresenceState state) {
        return checked(() -> {
            if (state == null || state == PresenceState.OFFLINE) {
                throw M800Exception.invalidArgument("state must be ONLINE or AWAY (a device is OFFLINE only when it "
                        + "is not connected), was " + state);
            }
            requireUser();
            synchronized (lock) {
                deviceState = state;
            }
            return request("presence.set", Map.of("state", state == PresenceState.AWAY ? "away" : "online"))
                    .thenApply(this::ownPresence);
        });
    }

    @Override
    public CompletableFuture<Presence> setStatusText(String text) {
        return checked(() -> {
            String t = text == null ? "" : text;
            if (t.codePointCount(0, t.length()) > MAX_STATUS_TEXT_CHARS) {
                throw M800Exception.invalidArgument("status text is longer than " + MAX_STATUS_TEXT_CHARS
                        + " characters");
            }
            requireUser();
            return request("presence.set", Map.of("text", t)).thenApply(this::ownPresence);
        });
    }

    @Override
    public CompletableFuture<Presence> setLastSeenVisible(boolean visible) {
        return checked(() -> {
            requireUser();
            return request("presence.set", Map.of("showLastSeen", visible)).thenApply(this::ownPresence);
        });
    }

    private Presence ownPresence(Map<String, Object> d) {
        Presence p = presenceOf(d);
        synchronized (lock) {
            presence.put(p.userId(), p);
        }
        return p;
    }

    private static Collection<String> checkUserIds(Collection<String> userIds) {
        if (userIds == null || userIds.isEmpty()) {
            throw M800Exception.invalidArgument("userIds is empty");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : userIds) {
            ids.add(checkUserId(id, "presence"));
        }
        return ids;
    }

    @Override
    public CompletableFuture<Map<String, Presence>> subscribePresence(Collection<String> userIds) {
        return checked(() -> {
            Collection<String> ids = checkUserIds(userIds);
            String me = requireUser();
            if (ids.contains(me)) {
                throw M800Exception.invalidArgument("you cannot subscribe to your own presence (userId " + me + ")");
            }
            if (ids.size() > MAX_PRESENCE_SUBSCRIPTIONS) {
                throw M800Exception.invalidArgument("at most " + MAX_PRESENCE_SUBSCRIPTIONS
                        + " presence subscriptions, got " + ids.size() + " users");
            }
            return presenceRequests("presence.subscribe", ids);
        });
    }

    @Override
    public CompletableFuture<Void> unsubscribePresence(Collection<String> userIds) {
        return checked(() -> {
            Collection<String> ids = checkUserIds(userIds);
            requireUser();
            List<CompletableFuture<Map<String, Object>>> parts = new ArrayList<>();
            for (List<String> chunk : chunks(new ArrayList<>(ids), PRESENCE_REQUEST_SIZE)) {
                parts.add(request("presence.unsubscribe", Map.of("userIds", chunk)));
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
        });
    }

    @Override
    public CompletableFuture<Map<String, Presence>> fetchPresence(Collection<String> userIds) {
        return checked(() -> {
            Collection<String> ids = checkUserIds(userIds);
            requireUser();
            return presenceRequests("presence.get", ids);
        });
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<Map<String, Presence>> presenceRequests(String type, Collection<String> ids) {
        List<CompletableFuture<Map<String, Object>>> parts = new ArrayList<>();
        for (List<String> chunk : chunks(new ArrayList<>(ids), PRESENCE_REQUEST_SIZE)) {
            parts.add(request(type, Map.of("userIds", chunk)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, Presence> result = new LinkedHashMap<>();
            for (CompletableFuture<Map<String, Object>> f : parts) {
                for (Object o : (List<Object>) f.join().getOrDefault("presences", List.of())) {
                    Presence p = presenceOf((Map<String, Object>) o);
                    result.put(p.userId(), p);
                }
            }
            synchronized (lock) {
                presence.putAll(result);
            }
            return result;
        });
    }

    @Override
    public Optional<Presence> presence(String userId) {
        synchronized (lock) {
            return Optional.ofNullable(presence.get(userId));
        }
    }

    // ================================================================ address book

    @Override
    public CompletableFuture<MatchResult> matchAddressBook(Collection<String> phoneNumbers) {
        return checked(() -> matchAddressBook(phoneNumbers, configuredRegion.get()));
    }

    @Override
    public CompletableFuture<MatchResult> matchAddressBook(Collection<String> phoneNumbers, String defaultRegion) {
        return checked(() -> {
            if (phoneNumbers == null) {
                throw M800Exception.invalidArgument("phoneNumbers is required");
            }
            if (phoneNumbers.size() > MAX_MATCH_NUMBERS) {
                throw M800Exception.invalidArgument("an address-book batch holds at most " + MAX_MATCH_NUMBERS
                        + " numbers, got " + phoneNumbers.size() + "; split it");
            }
            String region = PhoneNumbers.region(defaultRegion);
            requireUser();
            Map<String, List<String>> inputsByNumber = new TreeMap<>();
            Map<String, String> invalid = new LinkedHashMap<>();
            for (String input : phoneNumbers) {
                try {
                    inputsByNumber.computeIfAbsent(PhoneNumbers.normalize(input, region), k -> new ArrayList<>())
                            .add(input);
                } catch (M800Exception e) {
                    invalid.put(String.valueOf(input), e.getMessage());
                }
            }
            List<String> numbers = new ArrayList<>(inputsByNumber.keySet());
            List<CompletableFuture<Map<String, Object>>> parts = new ArrayList<>();
            for (List<String> chunk : chunks(numbers, MATCH_REQUEST_SIZE)) {
                parts.add(request("contact.match", Map.of("numbers", chunk)));
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                    .thenApply(v -> matches(parts, inputsByNumber, invalid, numbers.size()));
        });
    }

    @SuppressWarnings("unchecked")
    private static MatchResult matches(List<CompletableFuture<Map<String, Object>>> parts,
            Map<String, List<String>> inputsByNumber, Map<String, String> invalid, int checked) {
        List<AddressBookMatch> matches = new ArrayList<>();
        for (CompletableFuture<Map<String, Object>> f : parts) {
            for (Object o : (List<Object>) f.join().getOrDefault("matches", List.of())) {
                Map<String, Object> m = (Map<String, Object>) o;
                String number = String.valueOf(m.get("phoneNumber"));
                matches.add(new AddressBookMatch(number, inputsByNumber.getOrDefault(number, List.of()),
                        String.valueOf(m.get("userId")), String.valueOf(m.get("username")),
                        String.valueOf(m.get("displayName"))));
            }
        }
        return new MatchResult(matches, invalid, checked);
    }

    @Override
    public String normalize(String phoneNumber, String defaultRegion) {
        return PhoneNumbers.normalize(phoneNumber, PhoneNumbers.region(defaultRegion));
    }

    @Override
    public Optional<String> defaultRegion() {
        return Optional.ofNullable(configuredRegion.get());
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(List.copyOf(all.subList(i, Math.min(all.size(), i + size))));
        }
        return out;
    }

    // ================================================================ events

    @Override
    public Subscription addListener(ContactListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @SuppressWarnings("unchecked")
    private void onEvent(ServerEvent e) {
        synchronized (lock) {
            if (userId == null || closed) {
                return;
            }
        }
        Map<String, Object> d = e.data();
        try {
            switch (e.type()) {
                case "contact.updated" -> {
                    if ("removed".equals(d.get("change"))) {
                        removed(String.valueOf(d.get("userId")), num(d.get("updatedAt")));
                    } else if (d.get("contact") instanceof Map<?, ?> c) {
                        upsert(contact((Map<String, Object>) c));
                    }
                }
                case "block.updated" -> blockChanged(d);
                case "presence.updated" -> {
                    Presence p = presenceOf(d);
                    boolean changed;
                    synchronized (lock) {
                        changed = !p.equals(presence.put(p.userId(), p));
                    }
                    if (changed) {
                        emit(l -> l.presenceChanged(p));
                    }
                }
                default -> LOG.debug("client {}: ignoring event {}", clientId, e.type());
            }
        } catch (RuntimeException ex) {
            LOG.warn("client {}: cannot apply contacts event #{} {}", clientId, e.seq(), e.type(), ex);
        }
    }

    private void emit(Consumer<ContactListener> call) {
        if (listeners.isEmpty()) {
            return;
        }
        events.execute(() -> {
            for (ContactListener l : listeners) {
                try {
                    call.accept(l);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("client {}: a contacts listener threw", clientId, e);
                }
            }
        });
    }

    // ================================================================ wire

    static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    static Contact contact(Map<String, Object> m) {
        return new Contact(text(m.get("userId")), text(m.get("username")), text(m.get("displayName")),
                text(m.get("alias")), num(m.get("addedAt")), num(m.get("updatedAt")));
    }

    private static Map<String, Object> toMap(Contact c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", c.userId());
        m.put("username", c.username());
        m.put("displayName", c.displayName());
        m.put("alias", c.alias());
        m.put("addedAt", c.addedAt());
        m.put("updatedAt", c.updatedAt());
        return m;
    }

    static BlockedUser blockedUser(Map<String, Object> m) {
        return new BlockedUser(text(m.get("userId")), text(m.get("username")), text(m.get("displayName")),
                num(m.get("blockedAt")));
    }

    private static Map<String, Object> toMap(BlockedUser b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", b.userId());
        m.put("username", b.username());
        m.put("displayName", b.displayName());
        m.put("blockedAt", b.blockedAt());
        return m;
    }

    static Presence presenceOf(Map<String, Object> m) {
        PresenceState state = switch (String.valueOf(m.get("state"))) {
            case "online" -> PresenceState.ONLINE;
            case "away" -> PresenceState.AWAY;
            default -> PresenceState.OFFLINE;
        };
        Object text = m.get("text");
        return new Presence(text(m.get("userId")), state, text == null ? "" : text.toString(), num(m.get("lastSeen")));
    }

    /** @return the cause of a failed future's exception */
    static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
