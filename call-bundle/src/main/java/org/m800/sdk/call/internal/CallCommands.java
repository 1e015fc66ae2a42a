package org.m800.sdk.call.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.m800.sdk.call.Call;
import org.m800.sdk.call.CallEndReason;
import org.m800.sdk.call.CallListener;
import org.m800.sdk.call.CallManager;
import org.m800.sdk.call.CallOptions;
import org.m800.sdk.call.CallState;
import org.m800.sdk.call.CallStatistics;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.media.MediaManager;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands of scope {@code m800} for calls: {@code call}, {@code answer}, {@code hangup},
 * {@code hold}, {@code resume}, {@code dtmf}, {@code calls}, {@code callstats}, {@code calllog}, and
 * {@code calldemo}, a call between two new users with tone sources through the servers of the framework
 * properties {@code m800.defaults.*} (the runtime's embedded server). A call is named by its id or by
 * {@code last} (the client's newest call).
 */
@Component(service = CallCommands.class, immediate = true, property = {
        "osgi.command.scope=m800",
        "osgi.command.function=call",
        "osgi.command.function=answer",
        "osgi.command.function=hangup",
        "osgi.command.function=hold",
        "osgi.command.function=resume",
        "osgi.command.function=dtmf",
        "osgi.command.function=calls",
        "osgi.command.function=callstats",
        "osgi.command.function=calllog",
        "osgi.command.function=calldemo" })
public final class CallCommands {

    private static final String[] DEFAULT_KEYS = { AppMeta.CARRIER, AppMeta.APPLICATION_IDENTIFIER,
        AppMeta.APPLICATION_KEY, AppMeta.APPLICATION_SECRET, AppMeta.DEVELOPER_KEY, AppMeta.APPLICATION_VERSION,
        ClientConfig.IM_SERVERS, ClientConfig.SIGN_UP_SERVERS, ClientConfig.VERIFICATION_SERVERS,
        ClientConfig.CALL_SERVERS };

    private final BundleContext context;
    private final ClientFactory factory;

    /** Called by Declarative Services. */
    @Activate
    public CallCommands(BundleContext context, @Reference ClientFactory factory) {
        this.context = context;
        this.factory = factory;
    }

    /** {@code m800:call <clientId> <userId>}: calls a user with the client's default audio; prints the call. */
    public String call(String clientId, String userId) throws InterruptedException {
        return line(join(manager(clientId).call(userId)));
    }

    /** {@code m800:answer <clientId> <callId|last>}: answers an incoming call. */
    public String answer(String clientId, String callId) throws InterruptedException {
        Call c = find(clientId, callId);
        join(c.answer());
        return line(c);
    }

    /** {@code m800:hangup <clientId> <callId|last>}: ends a call (or declines or cancels it). */
    public String hangup(String clientId, String callId) throws InterruptedException {
        Call c = find(clientId, callId);
        join(c.hangUp());
        return line(c);
    }

    /** {@code m800:hold <clientId> <callId|last>}. */
    public String hold(String clientId, String callId) throws InterruptedException {
        Call c = find(clientId, callId);
        join(c.hold());
        return line(c);
    }

    /** {@code m800:resume <clientId> <callId|last>}. */
    public String resume(String clientId, String callId) throws InterruptedException {
        Call c = find(clientId, callId);
        join(c.resume());
        return line(c);
    }

    /** {@code m800:dtmf <clientId> <callId|last> <digits>}: sends key presses (0-9 * # A-D). */
    public String dtmf(String clientId, String callId, String digits) throws InterruptedException {
        join(find(clientId, callId).sendDtmf(digits));
        return "sent " + digits;
    }

    /** {@code m800:calls <clientId>}: the client's calls that have not ended. */
    public String calls(String clientId) {
        StringBuilder out = new StringBuilder();
        manager(clientId).calls().forEach(c -> out.append(line(c)).append('\n'));
        return out.length() == 0 ? "no calls" : out.toString().stripTrailing();
    }

    /** {@code m800:callstats <clientId> <callId|last>}: the call's RTCP statistics. */
    public String callstats(String clientId, String callId) {
        return stats(find(clientId, callId).statistics());
    }

    /** {@code m800:calllog <clientId> [limit]}: the newest calls of the user's log and the missed count. */
    public String calllog(String clientId, int... limit) throws InterruptedException {
        CallManager m = manager(clientId);
        StringBuilder out = new StringBuilder("missed, not seen: " + m.missedCallCount() + "\n");
        join(m.callLog(null, limit.length > 0 ? limit[0] : 20)).records().forEach(r -> out.append(r.startedAt())
                .append(' ').append(r.direction()).append(' ').append(r.peerUserId()).append(' ')
                .append(r.endReason()).append(' ').append(r.duration().toMillis()).append(" ms")
                .append(r.missed() ? " MISSED" : "").append('\n'));
        return out.toString().stripTrailing();
    }

    /**
     * {@code m800:calldemo [seconds]}: alice (440 Hz) calls bob (1 000 Hz) through the configured
     * (embedded) server; prints what each side hears, DTMF, hold, and the statistics. The demo's clients
     * are closed at the end.
     */
    public String calldemo(int... seconds) throws Exception {
        long talk = seconds.length > 0 ? Math.max(1, seconds[0]) : 3;
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        DemoAudio.Detector aliceHears = new DemoAudio.Detector();
        DemoAudio.Detector bobHears = new DemoAudio.Detector();
        Client alice = demoClient("demo-alice-" + suffix, new DemoAudio.Tone(440), aliceHears);
        Client bob = demoClient("demo-bob-" + suffix, new DemoAudio.Tone(1000), bobHears);
        try {
            join(alice.require(AccountManager.class).signUp("alice-" + suffix, "demo-password", "Alice"));
            join(bob.require(AccountManager.class).signUp("bob-" + suffix, "demo-password", "Bob"));
            log.add("signed up alice-" + suffix + " (sends 440 Hz) and bob-" + suffix + " (sends 1000 Hz)");
            CallManager a = alice.require(CallManager.class);
            CallManager b = bob.require(CallManager.class);
            CompletableFuture<Call> ringing = new CompletableFuture<>();
            CompletableFuture<Void> aliceEnded = new CompletableFuture<>();
            b.addListener(new CallListener() {
                @Override
                public void incoming(Call call) {
                    log.add("bob: incoming call from " + call.peerUserId());
                    ringing.complete(call);
                }

                @Override
                public void dtmfReceived(Call call, char digit) {
                    log.add("bob: DTMF " + digit);
                }
            });
            a.addListener(new CallListener() {
                @Override
                public void stateChanged(Call call, CallState from, CallState to) {
                    log.add("alice: " + from + " -> " + to);
                }

                @Override
                public void ended(Call call, CallEndReason reason) {
                    log.add("alice: ended, " + reason);
                    aliceEnded.complete(null);
                }
            });
            String bobId = bob.require(AccountManager.class).profile().orElseThrow().userId();
            long started = System.nanoTime();
            Call atAlice = join(a.call(bobId));
            Call atBob = join(ringing);
            join(atBob.answer());
            log.add(String.format("bob answered; invite to answer %.0f ms", (System.nanoTime() - started) / 1e6));
            // the tones cross the relay and the jitter buffers: wait (at most 10 s) until each side hears, then talk
            awaitAudio(() -> aliceHears.hears(1000) && bobHears.hears(440), 10_000);
            Thread.sleep(TimeUnit.SECONDS.toMillis(talk));
            log.add("alice hears " + aliceHears.heard(440, 1000));
            log.add("bob hears " + bobHears.heard(440, 1000));
            join(atAlice.sendDtmf("15#"));
            Thread.sleep(500);
            join(atAlice.hold());
            awaitAudio(() -> bobHears.silentAt(440, 1000), 10_000);
            log.add("alice holds: bob hears " + bobHears.heard(440, 1000));
            join(atAlice.resume());
            awaitAudio(() -> bobHears.hears(440), 10_000);
            log.add("alice resumes: bob hears " + bobHears.heard(440, 1000));
            log.add("alice's statistics: " + stats(atAlice.statistics()));
            log.add("bob's statistics: " + stats(atBob.statistics()));
            join(atBob.hangUp());
            join(aliceEnded);
        } finally {
            alice.close();
            bob.close();
        }
        return String.join("\n", log);
    }

    /** Polls the condition every 100 ms for at most that long; the demo prints what was heard either way. */
    private static void awaitAudio(java.util.function.BooleanSupplier condition, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private Client demoClient(String id, AudioSource source, AudioSink sink) throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : DEFAULT_KEYS) {
            String value = context.getProperty("m800.defaults." + key);
            if (value != null) {
                map.put(key, value);
            }
        }
        if (!map.containsKey(ClientConfig.IM_SERVERS)) {
            throw M800Exception.invalidArgument("no m800.defaults.imServers framework property: start the runtime with "
                    + "its embedded server");
        }
        Path data = Files.createTempDirectory("m800-calldemo-");
        map.put(ClientConfig.DATA_DIRECTORY, data.toString());
        map.put(ClientConfig.CLIENT_ID, id);
        // the seed's override of 'media': this client's default audio is the demo's tone and detector
        MediaManager media = new MediaManager() {
            @Override
            public AudioSource defaultSource() {
                return source;
            }

            @Override
            public AudioSink defaultSink() {
                return sink;
            }
        };
        Client c = factory.create(AppMeta.fromMap(map), ClientConfig.fromMap(map), List.of(ModuleDefinition.of(
                MediaManager.MODULE, List.of(NotificationService.MODULE), ctx -> media)));
        CompletableFuture<String> ready = new CompletableFuture<>();
        c.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(CallManager.MODULE)) {
                ready.complete(name);
            }
        });
        join(ready);
        return c;
    }

    private static String line(Call c) {
        return c.id() + " " + c.direction() + " " + c.peerUserId() + " " + c.state()
                + (c.isWaiting() ? " (waiting)" : "") + (c.isRemoteHold() ? " (held by the other side)" : "")
                + (c.endReason() == null ? "" : " " + c.endReason());
    }

    private static String stats(CallStatistics s) {
        return String.format("codec %s, sent %d, received %d, lost %.1f %% (%d), jitter %.1f ms, rtt %s", s.codec(),
                s.packetsSent(), s.packetsReceived(), s.fractionLost() * 100, s.cumulativeLost(), s.jitterMs(),
                s.roundTripMs() < 0 ? "-" : String.format("%.1f ms", s.roundTripMs()));
    }

    private Call find(String clientId, String callId) {
        List<Call> all = new ArrayList<>(manager(clientId).calls());
        if ("last".equals(callId)) {
            if (all.isEmpty()) {
                throw new M800Exception(ErrorCode.NOT_FOUND, "client " + clientId + " has no call");
            }
            return all.get(all.size() - 1);
        }
        return all.stream().filter(c -> c.id().equals(callId)).findFirst().orElseThrow(
                () -> new M800Exception(ErrorCode.NOT_FOUND, "no call " + callId + " in client " + clientId
                        + "; m800:calls lists them"));
    }

    private CallManager manager(String clientId) {
        Client client = factory.clients().stream().filter(c -> c.id().equals(clientId)).findFirst().orElse(null);
        if (client == null) {
            try {
                for (var ref : context.getServiceReferences(Client.class, null)) {
                    Client c = context.getService(ref);
                    if (c != null && c.id().equals(clientId)) {
                        client = c;
                    }
                    context.ungetService(ref);
                }
            } catch (org.osgi.framework.InvalidSyntaxException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        if (client == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "no client " + clientId + "; m800:clients lists them");
        }
        return client.require(CallManager.class);
    }

    private static <T> T join(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                throw new M800Exception(m.code(), m.getMessage(), m);
            }
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "no answer within 30 s");
        }
    }
}
