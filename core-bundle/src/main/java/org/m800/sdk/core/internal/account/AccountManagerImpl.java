package org.m800.sdk.core.internal.account;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.HttpService;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.core.internal.storage.DiskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccountManager}: keeps the login session in storage, keeps the connection started while
 * logged in, and refreshes the tokens before they expire.
 */
public final class AccountManagerImpl implements AccountManager, AutoCloseable {

    /** Storage key of the session. */
    static final String SESSION_KEY = "account.session";

    private static final Logger LOG = LoggerFactory.getLogger(AccountManagerImpl.class);
    /** How long close() waits for a refresh in flight to be answered and stored. */
    private static final long CLOSE_WAIT_MS = 3_000;
    private static final long MIN_REFRESH_MARGIN_MS = TimeUnit.MINUTES.toMillis(5);

    private final String clientId;
    private final HttpService http;
    private final StorageService storage;
    private final ConnectService connect;
    private final Executor events;
    private final Executor disk;
    private final ScheduledExecutorService scheduler;
    private final Subscription profileEvents;
    private final SessionSeal seal;
    private final ListenerList<Consumer<Profile>> profileListeners;

    private final Object lock = new Object();
    private StoredSession session;
    private ScheduledFuture<?> refreshTask;
    private CompletableFuture<Void> refreshing;
    /**
     * Completes when the refresh in flight is settled: its answer stored, or failed. The server rotates
     * the refresh token as it answers, so an answer dropped by close() would lose the session.
     */
    private CompletableFuture<Void> refreshSettled;
    private boolean closed;

    /**
     * Deps: service.http, service.storage, service.connect, service.notification. Session writes go
     * through {@code disk}, in order, so no disk sync runs on an event thread.
     */
    public AccountManagerImpl(ModuleContext ctx) {
        this.disk = ctx.diskExecutor();
        this.clientId = ctx.clientId();
        this.seal = SessionSeal.of(ctx.config());
        this.http = ctx.dependency(HttpService.MODULE, HttpService.class);
        this.storage = ctx.dependency(StorageService.MODULE, StorageService.class);
        this.connect = ctx.dependency(ConnectService.MODULE, ConnectService.class);
        this.events = ctx.eventExecutor();
        this.profileListeners = new ListenerList<>(events, "profile listener of client " + clientId);
        this.scheduler = ctx.scheduler();
        this.profileEvents = ctx.dependency(NotificationService.MODULE, NotificationService.class)
                .subscribe("profile.updated", e -> profileChanged(StoredSession.profile(e.data())));
        Optional<byte[]> stored = storage.read(SESSION_KEY);
        if (stored.isPresent()) {
            try {
                StoredSession restored = StoredSession.fromBytes(seal.open(SESSION_KEY, stored.get()));
                synchronized (lock) {
                    session = restored;
                }
                if (seal.seals() && !SessionSeal.isSealed(stored.get())) {
                    // stored before the key was configured: not left in clear
                    byte[] sealed = seal.seal(SESSION_KEY, restored.toBytes());
                    DiskQueue.submit(disk, () -> storage.write(SESSION_KEY, sealed));
                }
                LOG.info("client {}: resuming the stored session of user {}", clientId, restored.userId());
                begin(restored);
            } catch (M800Exception e) {
                LOG.warn("client {}: the stored session is unreadable and is dropped: {}", clientId, e.getMessage());
                storage.delete(SESSION_KEY);
                ctx.reportError(new M800Exception(ErrorCode.ILLEGAL_STATE, "client " + clientId
                        + " starts logged out: " + e.getMessage(), e));
            }
        }
    }

    @Override
    public CompletableFuture<Profile> signUp(String username, String password, String displayName,
            String verificationProof) {
        return attempt(() -> http.post(HttpService.Endpoint.SIGN_UP, "/v1/accounts/signup",
                AccountInput.signUp(username, password, displayName, verificationProof), null, requestId())
                .thenCompose(this::adopt));
    }

    @Override
    public CompletableFuture<Profile> logIn(String username, String password) {
        return attempt(() -> http.post(HttpService.Endpoint.SIGN_UP, "/v1/accounts/login",
                AccountInput.logIn(username, password), null, requestId()).thenCompose(this::adopt));
    }

    @Override
    public CompletableFuture<Void> logOut() {
        StoredSession ended;
        synchronized (lock) {
            ended = session;
            if (ended == null) {
                return CompletableFuture.completedFuture(null);
            }
        }
        dropLocal(ended, "logged out");
        return http.post(HttpService.Endpoint.SIGN_UP, "/v1/accounts/logout", Map.of("refreshToken",
                ended.refreshToken()), null, requestId()).thenApply(answer -> (Void) null);
    }

    @Override
    public CompletableFuture<Integer> logOutEverywhere() {
        StoredSession current;
        synchronized (lock) {
            current = session;
        }
        if (current == null) {
            return CompletableFuture.failedFuture(new M800Exception(ErrorCode.ILLEGAL_STATE,
                    "not logged in: there is no session to log out of"));
        }
        return token(false, ErrorCode.ILLEGAL_STATE)
                .thenCompose(bearer -> http.post(HttpService.Endpoint.SIGN_UP, "/v1/accounts/logout-all", Map.of(),
                        bearer, requestId()))
                .thenApply(answer -> {
                    // the server also closes this connection (4001); whichever comes first drops the session
                    StoredSession ended;
                    synchronized (lock) {
                        ended = session;
                    }
                    if (ended != null) {
                        dropLocal(ended, "logged out on every device");
                    }
                    return answer.get("sessions") instanceof Number n ? n.intValue() : 0;
                });
    }

    @Override
    public CompletableFuture<Void> refresh() {
        StoredSession current;
        synchronized (lock) {
            if (session == null) {
                return CompletableFuture.failedFuture(new M800Exception(ErrorCode.ILLEGAL_STATE, "not logged in"));
            }
            if (refreshing != null) {
                return refreshing;
            }
            current = session;
            refreshing = new CompletableFuture<>();
            refreshSettled = new CompletableFuture<>();
        }
        CompletableFuture<Void> result = refreshing;
        CompletableFuture<Void> settled = refreshSettled;
        http.post(HttpService.Endpoint.SIGN_UP, "/v1/accounts/refresh", Map.of("refreshToken", current.refreshToken()),
                null, requestId()).whenComplete((answer, failure) -> {
                    synchronized (lock) {
                        refreshing = null;
                    }
                    if (failure == null) {
                        try {
                            StoredSession next = StoredSession.fromAnswer(answer, current.profile());
                            CompletableFuture<Void> stored = store(next, current);
                            stored.whenComplete((v, e) -> settled.complete(null));
                            stored.whenCompleteAsync((v, e) -> {
                                if (e == null) {
                                    result.complete(null);
                                } else {
                                    result.completeExceptionally(e);
                                }
                            }, events);
                        } catch (M800Exception e) {
                            settled.complete(null);
                            result.completeExceptionally(e);
                        }
                        return;
                    }
                    settled.complete(null);
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof M800Exception m && m.code() == ErrorCode.UNAUTHORIZED) {
                        LOG.warn("client {}: the session can no longer be refreshed ({}); logged out", clientId,
                                m.getMessage());
                        dropLocal(current, "session expired");
                    } else {
                        scheduleRefreshRetry(current);
                    }
                    result.completeExceptionally(cause);
                });
        return result;
    }

    @Override
    public CompletableFuture<String> accessToken(boolean refresh) {
        return token(refresh, ErrorCode.ILLEGAL_STATE);
    }

    /** The current access token, refreshed first when asked or about to expire. */
    private CompletableFuture<String> token(boolean refresh, ErrorCode loggedOut) {
        StoredSession current;
        synchronized (lock) {
            current = session;
        }
        if (current == null) {
            return CompletableFuture.failedFuture(new M800Exception(loggedOut, "logged out"));
        }
        if (!refresh && current.accessTokenExpiresAt() > System.currentTimeMillis() + 5_000) {
            return CompletableFuture.completedFuture(current.accessToken());
        }
        return refresh().thenApply(v -> {
            synchronized (lock) {
                if (session == null) {
                    throw new M800Exception(loggedOut, "logged out");
                }
                return session.accessToken();
            }
        });
    }

    @Override
    public boolean isLoggedIn() {
        synchronized (lock) {
            return session != null;
        }
    }

    @Override
    public Optional<Profile> profile() {
        synchronized (lock) {
            return session == null ? Optional.empty() : Optional.ofNullable(session.profile());
        }
    }

    @Override
    public CompletableFuture<Profile> fetchProfile() {
        return connect.request("profile.get", Map.of()).thenApply(data -> profileChanged(StoredSession.profile(data)));
    }

    @Override
    public CompletableFuture<Profile> updateProfile(String displayName, String statusMessage) {
        return attempt(() -> {
            Map<String, Object> data = AccountInput.profileUpdate(displayName, statusMessage);
            return connect.request("profile.update", data).thenApply(d -> profileChanged(StoredSession.profile(d)));
        });
    }

    /** Runs {@code op}; bad input fails the future instead of being thrown (core API 1.2's rule). */
    private static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> op) {
        try {
            return op.get();
        } catch (M800Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** @deprecated since 1.2, {@link AccountManager#addListener} */
    @Deprecated
    @Override
    public Subscription onProfile(Consumer<Profile> listener) {
        return profileListeners.add(listener);
    }

    @Override
    public void close() {
        CompletableFuture<Void> inFlight;
        synchronized (lock) {
            inFlight = refreshSettled;
        }
        if (inFlight != null && !inFlight.isDone()) {
            // its answer carries the only valid refresh token now: store it before the storage goes
            try {
                inFlight.get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("client {}: closed while refreshing the session; the next start may have to log in again",
                        clientId);
            }
        }
        synchronized (lock) {
            closed = true;
            cancelRefresh();
        }
        profileEvents.close();
        profileListeners.clear();
    }

    // ------------------------------------------------------------------

    /** Takes a new session: connects at once, and completes with the profile once the session is on disk. */
    private CompletableFuture<Profile> adopt(Map<String, Object> answer) {
        StoredSession next = StoredSession.fromAnswer(answer, null);
        StoredSession previous;
        synchronized (lock) {
            previous = session;
        }
        CompletableFuture<Void> stored = store(next, previous);
        if (previous == null || !previous.userId().equals(next.userId()) || !previous.sessionId().equals(next.sessionId())) {
            begin(next);
        }
        return stored.thenApplyAsync(v -> {
            notifyProfile(next.profile());
            return next.profile();
        }, events);
    }

    /**
     * Replaces the session if it is still {@code expected}, keeps the refresh timer in step, and queues
     * the write; the future completes when the session is on disk.
     */
    private CompletableFuture<Void> store(StoredSession next, StoredSession expected) {
        synchronized (lock) {
            if (closed || session != expected) {
                return CompletableFuture.completedFuture(null);
            }
            session = next;
            scheduleRefresh(next);
            byte[] bytes = seal.seal(SESSION_KEY, next.toBytes());
            return DiskQueue.submit(disk, () -> storage.write(SESSION_KEY, bytes));
        }
    }

    private void begin(StoredSession s) {
        synchronized (lock) {
            scheduleRefresh(s);
        }
        connect.start(new ConnectService.Authenticator() {
            @Override
            public String userId() {
                return s.userId();
            }

            @Override
            public CompletableFuture<String> accessToken(boolean refresh) {
                return token(refresh, ErrorCode.UNAUTHORIZED);
            }

            @Override
            public void revoked(String reason) {
                StoredSession current;
                synchronized (lock) {
                    current = session;
                }
                if (current != null && current.userId().equals(s.userId())) {
                    LOG.info("client {}: the server ended the session ({})", clientId, reason);
                    dropLocal(current, "revoked by the server: " + reason);
                }
            }
        });
    }

    private void dropLocal(StoredSession ended, String reason) {
        synchronized (lock) {
            if (session != ended) {
                return;
            }
            session = null;
            cancelRefresh();
            DiskQueue.submit(disk, () -> storage.delete(SESSION_KEY));
        }
        connect.stop(reason);
        notifyProfile(null);
    }

    private Profile profileChanged(Profile updated) {
        synchronized (lock) {
            if (session != null && updated.userId() != null && updated.userId().equals(session.userId())) {
                session = session.withProfile(updated);
                byte[] bytes = seal.seal(SESSION_KEY, session.toBytes());
                DiskQueue.submit(disk, () -> storage.write(SESSION_KEY, bytes));
            }
        }
        notifyProfile(updated);
        return updated;
    }

    private void notifyProfile(Profile profile) {
        profileListeners.emit(l -> l.accept(profile));
    }

    private void scheduleRefresh(StoredSession s) {
        cancelRefresh();
        if (closed || s.accessTokenExpiresAt() <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        long lifetime = Math.max(0, s.accessTokenExpiresAt() - now);
        long margin = Math.max(MIN_REFRESH_MARGIN_MS, lifetime / 10);
        long delay = Math.max(1_000, s.accessTokenExpiresAt() - margin - now);
        if (lifetime <= margin) {
            delay = 1_000;
        }
        refreshTask = scheduler.schedule(this::refreshInBackground, delay, TimeUnit.MILLISECONDS);
    }

    private void scheduleRefreshRetry(StoredSession s) {
        synchronized (lock) {
            if (session == s && !closed) {
                cancelRefresh();
                refreshTask = scheduler.schedule(this::refreshInBackground, 30, TimeUnit.SECONDS);
            }
        }
    }

    private void refreshInBackground() {
        refresh().exceptionally(e -> {
            LOG.info("client {}: background token refresh failed: {}", clientId, e.getMessage());
            return null;
        });
    }

    private void cancelRefresh() {
        if (refreshTask != null) {
            refreshTask.cancel(false);
            refreshTask = null;
        }
    }

    private static String requestId() {
        return "a-" + UUID.randomUUID();
    }
}
