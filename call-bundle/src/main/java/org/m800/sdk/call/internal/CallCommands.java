package org.m800.sdk.call.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.Descriptor;

import org.m800.sdk.call.Call;
import org.m800.sdk.call.CallEndReason;
import org.m800.sdk.call.CallListener;
import org.m800.sdk.call.CallManager;
import org.m800.sdk.call.CallOptions;
import org.m800.sdk.call.CallState;
import org.m800.sdk.call.CallStatistics;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.sdk.core.shell.ShellSupport;
import org.m800.sdk.media.MediaManager;
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

    private final ShellSupport shell;

    /** Called by Declarative Services. */
    @Activate
    public CallCommands(@Reference ShellSupport shell) {
        this.shell = shell;
    }

    /** {@code m800:call <clientId> <userId>}: calls a user with the client's default audio; prints the call. */
    @Descriptor("calls a user with the client's default audio; prints 'call <id>' and its state")
    public String call(@Descriptor("the client id") String clientId,
            @Descriptor("a user id, or @clientId for the user logged in on that client") String userId)
            throws InterruptedException {
        Call c = join(manager(clientId).call(shell.userId(userId)));
        return shell.result("call " + line(c), Map.of("call", c.id(), "state", c.state().toString()));
    }

    /** {@code m800:answer <clientId> <callId|last>}: answers an incoming call. */
    @Descriptor("answers an incoming call")
    public String answer(@Descriptor("the client id") String clientId,
            @Descriptor("the call's id (or what m800:call printed), or last for the client's newest call") String callId)
            throws InterruptedException {
        Call c = find(clientId, callId);
        join(c.answer());
        return shell.text(line(c));
    }

    /** {@code m800:hangup <clientId> <callId|last>}: ends a call (or declines or cancels it). */
    @Descriptor("ends a call (or declines or cancels it)")
    public String hangup(@Descriptor("the client id") String clientId,
            @Descriptor("the call's id (or what m800:call printed), or last for the client's newest call") String callId)
            throws InterruptedException {
        Call c = find(clientId, callId);
        join(c.hangUp());
        return shell.text(line(c));
    }

    /** {@code m800:hold <clientId> <callId|last>}. */
    @Descriptor("puts a call on hold")
    public String hold(@Descriptor("the client id") String clientId,
            @Descriptor("the call's id (or what m800:call printed), or last for the client's newest call") String callId)
            throws InterruptedException {
        Call c = find(clientId, callId);
        join(c.hold());
        return shell.text(line(c));
    }

    /** {@code m800:resume <clientId> <callId|last>}. */
    @Descriptor("resumes a held call")
    public String resume(@Descriptor("the client id") String clientId,
            @Descriptor("the call's id (or what m800:call printed), or last for the client's newest call") String callId)
            throws InterruptedException {
        Call c = find(clientId, callId);
        join(c.resume());
        return shell.text(line(c));
    }

    /** {@code m800:dtmf <clientId> <callId|last> <digits>}: sends key presses (0-9 * # A-D). */
    @Descriptor("sends key presses in a call (RFC 4733)")
    public String dtmf(@Descriptor("the client id") String clientId,
            @Descriptor("the call's id (or what m800:call printed), or last for the client's newest call") String callId,
            @Descriptor("the keys: 0-9 * # A-D") String digits) throws InterruptedException {
        join(find(clientId, callId).sendDtmf(digits));
        return shell.text("sent " + digits);
    }

    /** {@code m800:calls <clientId>}: the client's calls that have not ended. */
    @Descriptor("the calls of a client that have not ended")
    public String calls(@Descriptor("the client id") String clientId) {
        StringBuilder out = new StringBuilder();
        manager(clientId).calls().forEach(c -> out.append(line(c)).append('\n'));
        return shell.text(out.length() == 0 ? "no calls" : out.toString().stripTrailing());
    }

    /** {@code m800:callstats <clientId> <callId|last>}: the call's RTCP statistics. */
    @Descriptor("the RTCP statistics of a call")
    public String callstats(@Descriptor("the client id") String clientId,
            @Descriptor("the call's id (or what m800:call printed), or last for the client's newest call") String callId)
             {
        return shell.text(stats(find(clientId, callId).statistics()));
    }

    /** {@code m800:calllog <clientId> [limit]}: the newest calls of the user's log and the missed count. */
    @Descriptor("the newest calls of the user's call log and the missed count")
    public String calllog(@Descriptor("the client id") String clientId,
            @Descriptor("how many records (default 20)") int... limit) throws InterruptedException {
        CallManager m = manager(clientId);
        StringBuilder out = new StringBuilder("missed, not seen: " + m.missedCallCount() + "\n");
        join(m.callLog(null, limit.length > 0 ? limit[0] : 20)).records().forEach(r -> out.append(r.startedAt())
                .append(' ').append(r.direction()).append(' ').append(r.peerUserId()).append(' ')
                .append(r.endReason()).append(' ').append(r.duration().toMillis()).append(" ms")
                .append(r.missed() ? " MISSED" : "").append('\n'));
        return shell.text(out.toString().stripTrailing());
    }

    /**
     * {@code m800:calldemo [seconds]}: alice (440 Hz) calls bob (1 000 Hz) through the configured
     * (embedded) server; prints what each side hears, DTMF, hold, and the statistics. The demo's clients
     * are closed at the end.
     */
    @Descriptor("two new users call each other through the runtime's embedded server with tones; prints what each side hears")
    public String calldemo(@Descriptor("how long each phase of the call lasts (default 3)") int... seconds)
            throws Exception {
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
        return shell.text(String.join("\n", log));
    }

    /** Polls the condition every 100 ms for at most that long; the demo prints what was heard either way. */
    private static void awaitAudio(java.util.function.BooleanSupplier condition, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private Client demoClient(String id, AudioSource source, AudioSink sink) throws Exception {
        Path data = Files.createTempDirectory("m800-calldemo-");
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
        return shell.demoClient(id, data, List.of(ModuleDefinition.of(MediaManager.MODULE,
                List.of(NotificationService.MODULE), ctx -> media)), CallManager.MODULE);
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

    private Call find(String clientId, String callArgument) {
        String callId = shell.id("call", callArgument);
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
        return shell.feature(clientId, CallManager.class);
    }

    private <T> T join(CompletableFuture<T> future) throws InterruptedException {
        return shell.join(future);
    }
}
