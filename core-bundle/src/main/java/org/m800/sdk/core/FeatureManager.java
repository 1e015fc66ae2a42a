package org.m800.sdk.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.m800.sdk.core.internal.SessionHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of a feature manager (chat, contacts, files, calls...): what every manager needs, written
 * once, in the spirit of Smack's {@code Manager}. A subclass is the instance a {@link ModuleFactory}
 * returns; it adds its feature's API and nothing of the plumbing below.
 *
 * <h2>How to use it</h2>
 * <pre>{@code
 * public final class NoteManagerImpl extends FeatureManager implements NoteManager {
 *     private final ListenerList<NoteListener> listeners = newListenerList("note listener");
 *
 *     NoteManagerImpl(ModuleContext ctx) {      // the module declares FeatureManager.DEPENDENCIES
 *         super(ctx);
 *         subscribe("note.*", this::onServerEvent);
 *         start();                               // last: from now on the hooks below may run
 *     }
 *
 *     public CompletableFuture<Note> save(String text) {
 *         return attempt(() -> {                 // bad input fails the future, never throws
 *             if (text == null || text.isBlank()) throw M800Exception.invalidArgument("text must not be blank");
 *             return request("note.save", Map.of("text", text)).thenApply(Note::fromWire);
 *         });
 *     }
 *
 *     public Subscription addListener(NoteListener l) { return listeners.add(l); }
 *
 *     protected void onLoggedIn(String userId) { ... open the user's files (this is the disk thread) ... }
 *     protected void onLoggedOut()              { ... close them ... }
 *     protected void onClose()                  { ... release what the subclass opened ... }
 * }
 * }</pre>
 *
 * <h2>Dependencies</h2>
 * The module must declare {@link #DEPENDENCIES} (it may declare more, in any order); the constructor
 * fails with {@link ErrorCode#INVALID_ARGUMENT} naming the missing one otherwise.
 *
 * <h2>The session and the hooks</h2>
 * The base follows the logged-in user ({@link AccountManager}) and the connection
 * ({@link ConnectService}) and tells the subclass through the hooks {@link #onLoggedIn},
 * {@link #onLoggedOut}, {@link #onConnected} and {@link #onDisconnected}. Hooks:
 * <ul>
 * <li>run one at a time, in the order of the changes, on the {@linkplain #diskExecutor() disk
 * executor}: never on an event thread, an I/O thread or the caller's thread, and never while the base
 * holds a lock. So a hook may do blocking disk work (open and replay a store); it must not wait for
 * the network (send a request and return);</li>
 * <li>come in a fixed grammar: {@code onLoggedIn(u)}, then any number of
 * {@code onConnected() onDisconnected()} pairs (a reconnect is always a new pair, even a quick one),
 * then {@code onDisconnected()} if connected and {@code onLoggedOut()} — and so on for the next user.
 * A switch of user is a log-out of the first and a log-in of the second;</li>
 * <li>do not start before {@link #start()} nor after {@link #close()} began. A hook that was running
 * when {@code close()} was called may still be running while {@link #onClose()} runs: guard state the
 * two share with the subclass's own lock;</li>
 * <li>that throw are logged; the next hooks still run.</li>
 * </ul>
 * {@link #userId()} is the user of the last {@code onLoggedIn} (what the hooks know), not the account's
 * newest state.
 *
 * <h2>Failures: the core API 1.2 rule</h2>
 * An asynchronous operation never throws for bad input or state; its future fails with an
 * {@link M800Exception} carrying the {@link ErrorCode}. {@link #attempt} turns an exception thrown
 * while starting the operation into a failed future; {@link #request} never throws. Synchronous
 * methods (a getter, {@code addListener}) throw {@link M800Exception}.
 *
 * <h2>Futures and close</h2>
 * Every future made by {@link #request} or {@link #attempt} (or passed to {@link #track}) is tracked
 * until it completes. {@link #close()} is idempotent; the first call stops the hooks and the server
 * events, runs {@link #onClose()}, then fails every tracked future still pending with
 * {@link ErrorCode#CLOSED} before it returns (stages chained without an executor run on the closing
 * thread), and clears every {@link ListenerList} made by {@link #newListenerList}: events emitted
 * before that (including those {@code onClose()} emits, such as a call's end) are still delivered,
 * later ones reach no one. Operations started after close fail with {@link ErrorCode#CLOSED}.
 *
 * <p>The protected methods are thread-safe. Listeners and server-event handlers run on the client's
 * event threads.
 *
 * @since 1.2
 */
public abstract class FeatureManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureManager.class);

    /** The modules a feature manager's module must declare as dependencies. */
    public static final List<String> DEPENDENCIES = List.of(ConnectService.MODULE, NotificationService.MODULE,
            AccountManager.MODULE);

    private final ModuleContext context;
    private final ConnectService connect;
    private final NotificationService notifications;
    private final AccountManager account;
    private final SessionHooks session;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<ListenerList<?>> listenerLists = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    // guarded by lock
    private boolean started;
    private boolean closed;

    /**
     * Takes the client's services from the context. Call {@link #start()} at the end of the subclass's
     * constructor.
     *
     * @param context the context the module factory got, not {@code null}
     * @throws M800Exception INVALID_ARGUMENT if the module did not declare one of {@link #DEPENDENCIES}
     */
    protected FeatureManager(ModuleContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.connect = context.dependency(ConnectService.MODULE, ConnectService.class);
        this.notifications = context.dependency(NotificationService.MODULE, NotificationService.class);
        this.account = context.dependency(AccountManager.MODULE, AccountManager.class);
        this.session = new SessionHooks(context.clientId(), context.moduleName(), account, connect,
                context.diskExecutor(), new SessionHooks.Target() {
                    @Override
                    public void loggedIn(String userId) {
                        onLoggedIn(userId);
                    }

                    @Override
                    public void loggedOut() {
                        onLoggedOut();
                    }

                    @Override
                    public void connected() {
                        onConnected();
                    }

                    @Override
                    public void disconnected() {
                        onDisconnected();
                    }

                    @Override
                    public boolean closing() {
                        return isClosed();
                    }
                });
    }

    /**
     * Starts following the session: if a user is logged in, {@code onLoggedIn} follows soon (on the
     * disk executor). Call it once, last in the subclass's constructor, so that no hook sees a
     * half-built object; later calls do nothing.
     */
    protected final void start() {
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        subscriptions.addAll(session.start());
    }

    // ------------------------------------------------------------ what the subclass gets

    /** @return the context the module was built with */
    protected final ModuleContext context() {
        return context;
    }

    /** @return the id of the client this manager belongs to */
    protected final String clientId() {
        return context.clientId();
    }

    /** @return the client's connection, for its state; send requests with {@link #request} */
    protected final ConnectService connectService() {
        return connect;
    }

    /** @return the client's server-event fan-out; {@link #subscribe} also unsubscribes at close */
    protected final NotificationService notificationService() {
        return notifications;
    }

    /** @return the client's account module */
    protected final AccountManager accountManager() {
        return account;
    }

    /** @return the client's ordered event executor ({@link ModuleContext#eventExecutor()}) */
    protected final Executor eventExecutor() {
        return context.eventExecutor();
    }

    /**
     * @return the executor for blocking disk work ({@link ModuleContext#diskExecutor()}), shared by
     *         the SDK instance; the hooks run on it too
     */
    protected final Executor diskExecutor() {
        return context.diskExecutor();
    }

    /** @return the shared scheduler ({@link ModuleContext#scheduler()}); cancel what you schedule in onClose */
    protected final ScheduledExecutorService scheduler() {
        return context.scheduler();
    }

    /**
     * @return the id of the user the last {@link #onLoggedIn} was called for, or {@code null} before
     *         it and after {@link #onLoggedOut}
     */
    protected final String userId() {
        return session.user();
    }

    /** @return whether {@link #close()} was called */
    protected final boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /**
     * Sends a request over the client's connection. Never throws.
     *
     * @param type the request type, such as {@code chat.send}
     * @param data the payload as plain Java values; {@code null} for none
     * @return a tracked future of the answer's {@code data}; fails as {@link ConnectService#request}
     *         says, and with {@link ErrorCode#CLOSED} if this manager is or gets closed first
     */
    protected final CompletableFuture<Map<String, Object>> request(String type, Map<String, ?> data) {
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedError());
        }
        CompletableFuture<Map<String, Object>> answer;
        try {
            answer = connect.request(type, data);
        } catch (RuntimeException e) {
            // a ConnectService of another provider that still throws
            answer = CompletableFuture.failedFuture(e);
        }
        return track(answer);
    }

    /**
     * Runs the start of an asynchronous operation on the caller's thread and turns whatever it throws
     * into a failed future: the way to keep the 1.2 failure rule while checking input with plain
     * {@code throw}s.
     *
     * @param operation checks the input and starts the operation; not {@code null}
     * @return a tracked future of the operation's result; fails with what {@code operation} threw
     *         (an {@link M800Exception} as is), with {@link ErrorCode#CLOSED} if this manager is or
     *         gets closed first, and with a {@link NullPointerException} if it returned {@code null}
     */
    protected final <T> CompletableFuture<T> attempt(Supplier<? extends CompletionStage<T>> operation) {
        if (isClosed()) {
            return CompletableFuture.failedFuture(closedError());
        }
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(operation.get(), "the operation returned no future");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return track(stage.toCompletableFuture());
    }

    /**
     * Tracks a future so that {@link #close()} fails it with {@link ErrorCode#CLOSED} if it is still
     * pending. The future returned is a new one that completes as {@code future} does (a failure's
     * {@link CompletionException} unwrapped); failing it at close leaves {@code future} alone.
     *
     * @param future not {@code null}
     * @return the tracked future to hand out
     */
    protected final <T> CompletableFuture<T> track(CompletableFuture<T> future) {
        CompletableFuture<T> handedOut = new CompletableFuture<>();
        pending.add(handedOut);
        future.whenComplete((value, failure) -> {
            if (failure == null) {
                handedOut.complete(value);
            } else {
                handedOut.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        });
        handedOut.whenComplete((value, failure) -> pending.remove(handedOut));
        if (isClosed()) {
            handedOut.completeExceptionally(closedError());
        }
        return handedOut;
    }

    /**
     * @return a failed future, for the 1.2 rule: {@code return failed(ErrorCode.NOT_FOUND, "no such ...")}
     */
    protected static <T> CompletableFuture<T> failed(ErrorCode code, String message) {
        return CompletableFuture.failedFuture(new M800Exception(code, message));
    }

    /**
     * Makes a list of listeners whose deliveries run on the client's event executor; it is cleared when
     * this manager closes (after {@link #onClose()}, whose events are still delivered).
     *
     * @param what names the listeners in log lines, such as {@code "chat listener"}
     */
    protected final <L> ListenerList<L> newListenerList(String what) {
        ListenerList<L> list = new ListenerList<>(context.eventExecutor(), what + " of client " + clientId());
        listenerLists.add(list);
        return list;
    }

    /**
     * Subscribes to server events for as long as this manager lives (until {@link #close()}); the
     * handler runs on the client's event threads, in {@code seq} order.
     *
     * @param eventType an event type, or a prefix ending in {@code .*}
     * @param handler not {@code null}
     */
    protected final void subscribe(String eventType, Consumer<ServerEvent> handler) {
        Subscription s = notifications.subscribe(eventType, handler);
        subscriptions.add(s);
        if (isClosed()) {
            s.close();
        }
    }

    /**
     * @throws M800Exception {@link ErrorCode#CLOSED} if this manager is closed; for use inside
     *         {@link #attempt} or in synchronous methods
     */
    protected final void checkOpen() {
        if (isClosed()) {
            throw closedError();
        }
    }

    /**
     * @return the logged-in user: {@link #userId()}, or, in the moment between a log-in and its
     *         {@code onLoggedIn} hook, the account's user
     * @throws M800Exception {@link ErrorCode#CLOSED} if closed, {@link ErrorCode#ILLEGAL_STATE} if no
     *         user is logged in
     */
    protected final String requireUser() {
        checkOpen();
        String user = session.user();
        if (user == null) {
            user = account.profile().map(Profile::userId).orElse(null);
        }
        if (user == null) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "no user is logged in to client " + clientId()
                    + " (log in with the AccountManager first)");
        }
        return user;
    }

    /**
     * A stable, file-name-safe name for a user id: the first {@code hexDigits} lower-case hex digits
     * of the SHA-256 of its UTF-8 bytes. The SDK names per-user folders and keys with it, so the value
     * never changes between versions.
     *
     * @param userId not {@code null}
     * @param hexDigits 1 to 64
     * @throws M800Exception INVALID_ARGUMENT for a {@code null} id or a length out of range
     */
    public static String userIdHash(String userId, int hexDigits) {
        if (userId == null || hexDigits < 1 || hexDigits > 64) {
            throw M800Exception.invalidArgument("userIdHash needs a user id and 1 to 64 digits, not " + userId
                    + ", " + hexDigits);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    // ------------------------------------------------------------ hooks

    /**
     * A user is logged in (at start, if one already was). Runs on the disk executor: open the user's
     * files here.
     *
     * @param userId the user's id, never {@code null}
     */
    protected void onLoggedIn(String userId) {
    }

    /** The user of the last {@link #onLoggedIn} logged out, or another user logged in. */
    protected void onLoggedOut() {
    }

    /** The connection is up for the logged-in user (a new connection each time). */
    protected void onConnected() {
    }

    /** The connection of the last {@link #onConnected} is gone (also before a log-out). */
    protected void onDisconnected() {
    }

    /**
     * Releases what the subclass holds (files, scheduled tasks). Called once, on the thread that calls
     * {@link #close()}, after hooks and server events stopped and before the tracked futures fail; it
     * may block briefly to flush files. An exception it throws is logged.
     */
    protected void onClose() {
    }

    /**
     * Closes this manager as described in the class comment. Idempotent, never throws; the client calls
     * it when it disposes the module.
     */
    @Override
    public final void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        subscriptions.forEach(Subscription::close);
        try {
            onClose();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("client {}: closing module {} failed", clientId(), context.moduleName(), e);
        }
        M800Exception error = closedError();
        for (CompletableFuture<?> f : new ArrayList<>(pending)) {
            f.completeExceptionally(error);
        }
        pending.clear();
        listenerLists.forEach(ListenerList::clear);
    }

    private M800Exception closedError() {
        return new M800Exception(ErrorCode.CLOSED, "module " + context.moduleName() + " of client " + clientId()
                + " is closed");
    }
}
