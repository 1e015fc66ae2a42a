package org.m800.sdk.itest.bundles.loopback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.itest.api.CountingConnect;

/**
 * A connection that never leaves the JVM: {@link #start} makes it CONNECTED at once, {@code profile.get}
 * is answered with a local profile of the authenticated user, every other request fails with
 * PROTOCOL. Listeners and futures run on the client's event executor, as the interface requires.
 */
final class LoopbackConnect implements CountingConnect, AutoCloseable {

    private final Executor events;
    private final String builtOn = Thread.currentThread().getName();
    private final List<String> requestTypes = new CopyOnWriteArrayList<>();
    private final List<String> startedFor = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectionStateEvent>> stateListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger closeCount = new AtomicInteger();

    private final Object lock = new Object();
    private ConnectionState state = ConnectionState.DISCONNECTED;
    private String userId;

    LoopbackConnect(ModuleContext ctx) {
        this.events = ctx.eventExecutor();
    }

    @Override
    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public void start(Authenticator authenticator) {
        if (authenticator == null) {
            throw M800Exception.invalidArgument("authenticator must not be null");
        }
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "the loopback connection is closed");
            }
            startedFor.add(authenticator.userId());
            userId = authenticator.userId();
            change(ConnectionState.CONNECTED, "loopback: connected locally");
        }
    }

    @Override
    public void stop(String reason) {
        synchronized (lock) {
            if (state != ConnectionState.CLOSED) {
                userId = null;
                change(ConnectionState.DISCONNECTED, reason);
            }
        }
    }

    @Override
    public CompletableFuture<Map<String, Object>> request(String type, Map<String, ?> data) {
        if (type == null || type.isBlank()) {
            return CompletableFuture.failedFuture(M800Exception.invalidArgument("request type must not be blank"));
        }
        requestTypes.add(type);
        String user;
        synchronized (lock) {
            if (state != ConnectionState.CONNECTED) {
                return failed(new M800Exception(ErrorCode.NETWORK, type + ": the loopback is " + state));
            }
            user = userId;
        }
        if (!"profile.get".equals(type)) {
            return failed(new M800Exception(ErrorCode.PROTOCOL, type + " is not answered by the loopback"));
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("userId", user);
        profile.put("username", "loopback");
        profile.put("carrier", "loopback");
        profile.put("displayName", LOCAL_DISPLAY_NAME);
        profile.put("statusMessage", "");
        profile.put("createdAt", 0L);
        profile.put("updatedAt", 0L);
        return CompletableFuture.supplyAsync(() -> profile, events);
    }

    private CompletableFuture<Map<String, Object>> failed(M800Exception e) {
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        events.execute(() -> f.completeExceptionally(e));
        return f;
    }

    @Override
    public Subscription onStateChange(Consumer<ConnectionStateEvent> listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        synchronized (lock) {
            stateListeners.add(listener);
            ConnectionStateEvent now = new ConnectionStateEvent(state, state, "current state", null);
            events.execute(() -> listener.accept(now));
        }
        return () -> stateListeners.remove(listener);
    }

    @Override
    public Subscription onEvent(Consumer<ServerEvent> listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        return () -> { };
    }

    @Override
    public long lastSeq() {
        return 0;
    }

    @Override
    public String userId() {
        synchronized (lock) {
            return userId;
        }
    }

    @Override
    public List<String> requestTypes() {
        return List.copyOf(requestTypes);
    }

    @Override
    public List<String> startedFor() {
        return List.copyOf(startedFor);
    }

    @Override
    public String builtOn() {
        return builtOn;
    }

    @Override
    public int closeCount() {
        return closeCount.get();
    }

    @Override
    public void close() {
        closeCount.incrementAndGet();
        synchronized (lock) {
            if (state != ConnectionState.CLOSED) {
                change(ConnectionState.CLOSED, "client closed");
            }
        }
    }

    /** Under the lock; listeners run later on the event executor, in order. */
    private void change(ConnectionState next, String reason) {
        ConnectionStateEvent event = new ConnectionStateEvent(state, next, reason, null);
        state = next;
        List<Consumer<ConnectionStateEvent>> listeners = new ArrayList<>(stateListeners);
        events.execute(() -> listeners.forEach(l -> l.accept(event)));
    }

    @Override
    public String toString() {
        return "LoopbackConnect[" + state() + ", requests " + requestTypes + "]";
    }
}
