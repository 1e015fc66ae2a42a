package org.m800.sdk.call.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.m800.sdk.call.Call;
import org.m800.sdk.call.CallEndReason;
import org.m800.sdk.call.CallListener;
import org.m800.sdk.call.CallLogPage;
import org.m800.sdk.call.CallManager;
import org.m800.sdk.call.CallOptions;
import org.m800.sdk.call.CallState;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.sdp.OfferAnswer;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.ListenerList;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.StorageService;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MediaManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CallManager} on the core's {@link FeatureManager}: call signalling (docs/protocol.md section 13)
 * over the core's connection to the call servers ({@code service.connect.call}, {@code /v1/call}) when
 * {@code callServers} are configured, else, or while only the IM connection is up, over the IM connection;
 * call events are taken from both, each once (by seq). The calls of this device, their media legs from one
 * {@link MediaEngine} made at the first call, and the call log ({@link CallLogStore}).
 *
 * <p>Server events run on the client's event threads, in order. Closing the manager (the bundle stops,
 * the client closes) hangs up every call, telling the server, and closes the engine and its threads.
 */
public final class CallManagerImpl extends FeatureManager implements CallManager {
    private static final Logger LOG = LoggerFactory.getLogger(CallManagerImpl.class);
    /** The core's connection to the call servers ({@code /v1/call}); see CoreFeature.CALL_CONNECT. */
    static final String CALL_CONNECT = "service.connect.call";
    /** The module's dependencies. */
    public static final List<String> DEPENDENCIES = List.of(MediaManager.MODULE, "service.connect",
            "service.notification", "account", StorageService.MODULE, CALL_CONNECT);
    private static final int SEEN_EVENTS = 4_096;

    private final MediaManager media;
    private final EngineFactory engines;
    /** the call servers' connection, or null when no call server is configured (then all goes over IM) */
    private final ConnectService callConnect;
    private final Subscription callEvents;
    /** seqs of the call events handled lately: they arrive on both connections (event threads only) */
    private final java.util.LinkedHashSet<Long> seen = new java.util.LinkedHashSet<>();
    private final String device = "d-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final ListenerList<CallListener> listeners = newListenerList("call listener");
    private final CallLogStore log;
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, CallImpl> calls = new LinkedHashMap<>();
    private MediaEngine engine;
    private boolean stopped;

    public CallManagerImpl(ModuleContext ctx, EngineFactory engines) {
        super(ctx);
        this.media = ctx.dependency(MediaManager.MODULE, MediaManager.class);
        this.engines = engines;
        this.log = new CallLogStore(ctx.dependency(StorageService.MODULE, StorageService.class), this, listeners);
        subscribe("call.*", this::onServerEvent);
        if (ctx.config().callServers().isEmpty()) {
            callConnect = null;
            callEvents = null;
        } else {
            callConnect = ctx.dependency(CALL_CONNECT, ConnectService.class);
            callEvents = callConnect.onEvent(this::onServerEvent);
        }
        start();
    }

    // ------------------------------------------------------------------------------- the API

    @Override
    public CompletableFuture<Call> call(String userId) {
        return call(userId, CallOptions.DEFAULTS);
    }

    @Override
    public CompletableFuture<Call> call(String userId, CallOptions options) {
        return attempt(() -> {
            if (userId == null || userId.isBlank()) {
                throw M800Exception.invalidArgument("userId must not be blank");
            }
            String me = requireUser();
            if (userId.equals(me)) {
                throw M800Exception.invalidArgument("a user cannot call itself");
            }
            CallOptions opts = options == null ? CallOptions.DEFAULTS : options;
            MediaSession leg;
            try {
                leg = openLeg();
            } catch (IOException e) {
                throw new M800Exception(ErrorCode.NETWORK, "no UDP port for the call's audio: " + e.getMessage(), e);
            }
            CallImpl call;
            try {
                call = CallImpl.outgoing(this, "c-" + UUID.randomUUID(), userId, leg, local(leg, opts), opts);
            } catch (RuntimeException e) {
                leg.close();
                throw e;
            }
            synchronized (lock) {
                calls.put(call.id(), call);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("callId", call.id());
            data.put("to", userId);
            data.put("sdp", call.offerText());
            data.put("device", device);
            CompletionStage<Call> placed = ask("call.invite", data).handle((ok, failure) -> {
                if (failure != null) {
                    call.discard();
                    throw Wire.unwrap(failure);
                }
                return call;
            });
            return placed;
        });
    }

    @Override
    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls.values());
        }
    }

    @Override
    public Subscription addListener(CallListener listener) {
        if (listener == null) {
            throw M800Exception.invalidArgument("listener must not be null");
        }
        return listeners.add(listener);
    }

    @Override
    public CompletableFuture<CallLogPage> callLog(String cursor, int limit) {
        return attempt(() -> {
            if (limit < 1 || limit > 100) {
                throw M800Exception.invalidArgument("limit must be 1 to 100, not " + limit);
            }
            requireUser();
            return log.page(cursor, limit);
        });
    }

    @Override
    public int missedCallCount() {
        return log.missedUnseen();
    }

    @Override
    public CompletableFuture<Void> markMissedCallsSeen() {
        return attempt(() -> {
            requireUser();
            return log.markSeen();
        });
    }

    // --------------------------------------------------------------------------- lifecycle

    @Override
    protected void onLoggedIn(String userId) {
        log.open(userId);
    }

    @Override
    protected void onLoggedOut() {
        endAll(CallEndReason.FEATURE_STOPPED, true);
        log.close();
    }

    @Override
    protected void onConnected() {
        log.sync();
    }

    @Override
    protected void onClose() {
        MediaEngine e;
        synchronized (lock) {
            stopped = true;
        }
        endAll(CallEndReason.FEATURE_STOPPED, true);
        synchronized (lock) {
            e = engine;
            engine = null;
        }
        if (e != null) {
            e.close();
        }
        if (callEvents != null) {
            callEvents.close();
        }
        log.close();
    }

    /** Ends every call of this device; with {@code tell}, the server hears a hang-up for each. */
    private void endAll(CallEndReason reason, boolean tell) {
        List<CallImpl> open;
        synchronized (lock) {
            open = new ArrayList<>(calls.values());
        }
        for (CallImpl call : open) {
            CallState was = call.state();
            call.end(reason);
            if (tell && was != CallState.ENDED) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("callId", call.id());
                data.put("device", device);
                // straight to a connection: the manager's own requests fail once it closes
                try {
                    ConnectService via = callConnect != null && callConnect.state() == ConnectionState.CONNECTED
                            ? callConnect : connectService();
                    via.request("call.hangup", data);
                } catch (RuntimeException e) {
                    LOG.debug("Could not tell the server that call {} ended", call.id(), e);
                }
            }
        }
    }

    // ----------------------------------------------------------------------- server events

    private void onServerEvent(ServerEvent event) {
        if (!event.type().startsWith("call.")) {
            return;
        }
        synchronized (lock) {
            if (!seen.add(event.seq())) {
                return;
            }
            if (seen.size() > SEEN_EVENTS) {
                seen.remove(seen.iterator().next());
            }
        }
        Map<String, Object> data = event.data();
        String callId = Wire.text(data, "callId");
        if (callId == null) {
            return;
        }
        CallImpl call;
        synchronized (lock) {
            call = calls.get(callId);
        }
        try {
            switch (event.type()) {
                case "call.incoming" -> incoming(callId, data, event);
                case "call.ringing" -> {
                    if (call != null) {
                        call.ringing();
                    }
                }
                case "call.answered" -> {
                    if (call != null) {
                        call.answeredEvent(data);
                    }
                }
                case "call.reoffer" -> {
                    if (call != null) {
                        call.reofferEvent(data);
                    }
                }
                case "call.reanswer" -> {
                    if (call != null) {
                        call.reanswerEvent(data);
                    }
                }
                case "call.ended" -> {
                    if (call != null) {
                        call.endedEvent(data);
                    }
                    log.sync();
                }
                default -> LOG.debug("Unknown call event {}", event.type());
            }
        } catch (RuntimeException e) {
            LOG.warn("Call event {} of call {} failed", event.type(), callId, e);
        }
    }

    private void incoming(String callId, Map<String, Object> data, ServerEvent event) {
        String from = Wire.text(data, "from");
        String offer = Wire.text(data, "sdp");
        if (from == null || offer == null) {
            return;
        }
        long createdAt = Wire.number(data, "createdAt", event.timestamp());
        long ringFor = Wire.number(data, "ringTimeoutMs", 45_000);
        if (createdAt + ringFor < System.currentTimeMillis()) {
            // a replayed invite whose ringing is long over: its call.ended follows
            return;
        }
        CallImpl call;
        synchronized (lock) {
            if (stopped || calls.containsKey(callId)) {
                return;
            }
            call = CallImpl.incoming(this, callId, from, offer, Wire.flag(data, "waiting"), Instant.ofEpochMilli(createdAt));
            calls.put(callId, call);
        }
        Map<String, Object> ringing = new LinkedHashMap<>();
        ringing.put("callId", callId);
        ringing.put("device", device);
        send("call.ringing", ringing);
        listeners.emit(l -> l.incoming(call));
    }

    // ------------------------------------------------------------------ for calls and the log

    ListenerList<CallListener> listeners() {
        return listeners;
    }

    String device() {
        return device;
    }

    String clientIdOf() {
        return clientId();
    }

    String userIdOrNull() {
        return userId();
    }

    AudioSource defaultSource() {
        return media.defaultSource();
    }

    AudioSink defaultSink() {
        return media.defaultSink();
    }

    void ended(CallImpl call) {
        synchronized (lock) {
            calls.remove(call.id(), call);
        }
    }

    /**
     * A tracked request of the calls and the log: over the call servers' connection, unless it is down while
     * the IM connection is up (the server serves the call requests on both, docs/protocol.md 13.1).
     */
    CompletableFuture<Map<String, Object>> ask(String type, Map<String, Object> data) {
        ConnectService call = callConnect;
        if (call == null || isClosed() || call.state() != ConnectionState.CONNECTED
                && connectService().state() == ConnectionState.CONNECTED) {
            return request(type, data);
        }
        CompletableFuture<Map<String, Object>> answer;
        try {
            answer = call.request(type, data);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return track(answer);
    }

    /** For the log's disk work. */
    java.util.concurrent.Executor disk() {
        return diskExecutor();
    }

    /** Sends a request nobody waits for; a failure is logged. */
    void send(String type, Map<String, Object> data) {
        ask(type, data).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.debug("{} of call {} failed: {}", type, data.get("callId"), failure.toString());
            }
        });
    }

    /** {@link FeatureManager#attempt} for the calls. */
    <T> CompletableFuture<T> tryStart(Supplier<? extends CompletionStage<T>> operation) {
        return attempt(operation);
    }

    /** Opens a media leg, making the engine at the first call. */
    MediaSession openLeg() throws IOException {
        MediaEngine e;
        synchronized (lock) {
            if (stopped) {
                throw new M800Exception(ErrorCode.CLOSED, "the call feature of client " + clientId() + " is closed");
            }
            if (engine == null) {
                engine = engines.create();
            }
            e = engine;
        }
        return e.open(bindAddress());
    }

    OfferAnswer.Local local(MediaSession leg, CallOptions options) {
        return new OfferAnswer.Local(Long.toString(System.currentTimeMillis()), leg.localAddress(),
                leg.supportedCodecs(), options.codecs(), leg.localSrtpKey(), options.plainRtpAllowed());
    }

    /**
     * The address the legs bind: the loopback one when the servers are on this machine (tests, the
     * runtime), else every interface (the relay latches to where the packets come from).
     */
    private InetAddress bindAddress() throws IOException {
        List<URI> servers = context().config().imServers();
        String host = servers.isEmpty() ? null : servers.get(0).getHost();
        if (host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"))) {
            return InetAddress.getLoopbackAddress();
        }
        return InetAddress.getByName("0.0.0.0");
    }
}
