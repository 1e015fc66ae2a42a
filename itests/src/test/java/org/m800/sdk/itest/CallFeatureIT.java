package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.call.Call;
import org.m800.sdk.call.CallEndReason;
import org.m800.sdk.call.CallListener;
import org.m800.sdk.call.CallManager;
import org.m800.sdk.call.CallState;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.Profile;
import org.m800.sdk.media.MediaManager;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The seed's scenario of a feature loaded at run time, with calls: two running clients of the real
 * reference server; the call bundle of the reactor installed: FEATURE_READY("call") in both; a call
 * placed and answered; the bundle stopped during the call: the call ends in both clients
 * ({@code FEATURE_STOPPED}) and the server records it ended, and no thread, call code or UDP socket is
 * left; a bundle that overrides {@code media} with a higher ranking (a 700 Hz tone) is used by the next
 * call, whose audio crosses the server's relay.
 *
 * <p>The framework starts without the call API, which the probe imports dynamically once the bundle is
 * installed: the test class names its types only in the nested class, loaded after the installation.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class CallFeatureIT extends ServerTestSupport {

    private static final String CALL_BUNDLE = "call-bundle";
    private static final String FEATURE = "call";

    @Test
    public void aCallFeatureLoadedAtRunTimeCallsEndsWithItsBundleAndTakesAnOverriddenMedia() throws Exception {
        Client ann = serverClient("call-ann");
        Client ben = serverClient("call-ben");
        signUpAndConnect(ann, "call-ann");
        Profile benProfile = signUpAndConnect(ben, "call-ben");
        Events annEvents = events(ann);
        Events benEvents = events(ben);
        assertFalse(ann.module(FEATURE).isPresent());
        Set<Thread> threadsBefore = liveThreads();
        int udpBefore = udpSocketsOfThisProcess();

        int annMark = annEvents.mark();
        int benMark = benEvents.mark();
        Bundle call = bundleContext.installBundle(TestBundles.runtimeLocation(CALL_BUNDLE));
        afterTest(() -> {
            if (call.getState() != Bundle.UNINSTALLED) {
                call.uninstall();
            }
        });
        call.start();
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);

        WithTheFeature steps = new WithTheFeature(ann, ben, benProfile.userId());
        steps.aCallIsPlacedAndAnswered();

        // the bundle stops during the call: both clients end it, the server hears of it
        annMark = annEvents.mark();
        benMark = benEvents.mark();
        call.stop();
        annEvents.await(annMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        benEvents.await(benMark, ClientEvent.FEATURE_UNAVAILABLE, FEATURE, TIMEOUT_S);
        steps.bothEndedWhenTheBundleStopped();
        for (Client c : List.of(ann, ben)) {
            assertFalse(c.module(FEATURE).isPresent());
            assertTrue("the client stays ready", c.isReady());
            assertEquals(ConnectionState.CONNECTED, c.require(ConnectService.class).state());
        }
        assertNull("no service of the call bundle is left", call.getRegisteredServices());
        waitUntil("no thread runs call code", () -> threadsIn("org.m800.sdk.call.").isEmpty(), TIMEOUT_S);
        waitUntil("no media thread is left", () -> liveThreads().stream()
                .noneMatch(t -> t.getName().startsWith("m800-media-") && !threadsBefore.contains(t)), TIMEOUT_S);
        waitUntil("no UDP socket is left (the SDK's legs and the relay's)", () -> {
            try {
                return udpSocketsOfThisProcess() == udpBefore;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, TIMEOUT_S);

        // a ranked bundle overrides 'media': the next call uses its tone and sink
        Bundle mediaAlt = installAndStart(TestBundles.MEDIA_ALT);
        waitUntil("the override is the media module of both clients", () ->
                ann.require(MediaManager.class).defaultSink() instanceof Supplier
                        && ben.require(MediaManager.class).defaultSink() instanceof Supplier, TIMEOUT_S);
        annMark = annEvents.mark();
        call.start();
        annEvents.await(annMark, ClientEvent.FEATURE_READY, FEATURE, TIMEOUT_S);
        String firstCallId = steps.callId();
        steps = new WithTheFeature(ann, ben, benProfile.userId());
        steps.theNextCallUsesTheOverriddenMedia(firstCallId);
        mediaAlt.stop();
    }

    /** Threads with a frame of the given package's code on their stacks. */
    private static List<String> threadsIn(String packagePrefix) {
        List<String> found = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith(packagePrefix)) {
                    found.add(t.getName() + " in " + frame);
                    break;
                }
            }
        });
        return found;
    }

    /** UDP sockets this JVM holds: the socket inodes of /proc/self/fd found in /proc/net/udp and udp6. */
    private static int udpSocketsOfThisProcess() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        int udp = 0;
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && inodes.contains(f[9])) {
                    udp++;
                }
            }
        }
        return udp;
    }

    /*
     * Members of the test class must not name a type of the call API in their signatures: JUnit reads and
     * links the class before the bundle is installed. The nested class below is loaded only once it is.
     */

    /** The part of the test that uses the call API. */
    private final class WithTheFeature {
        private final Client ann;
        private final CallManager annCalls;
        private final CallManager benCalls;
        private final String benId;
        private final CompletableFuture<Call> benRings = new CompletableFuture<>();
        private final CompletableFuture<CallEndReason> annEnded = new CompletableFuture<>();
        private final CompletableFuture<CallEndReason> benEnded = new CompletableFuture<>();
        private Call atAnn;
        private Call atBen;

        WithTheFeature(Client ann, Client ben, String benId) {
            this.ann = ann;
            this.annCalls = ann.require(CallManager.class);
            this.benCalls = ben.require(CallManager.class);
            this.benId = benId;
            afterTest(annCalls.addListener(new CallListener() {
                @Override
                public void ended(Call c, CallEndReason reason) {
                    annEnded.complete(reason);
                }
            })::close);
            afterTest(benCalls.addListener(new CallListener() {
                @Override
                public void incoming(Call c) {
                    benRings.complete(c);
                }

                @Override
                public void ended(Call c, CallEndReason reason) {
                    benEnded.complete(reason);
                }
            })::close);
        }

        void aCallIsPlacedAndAnswered() throws Exception {
            atAnn = await(annCalls.call(benId), "call(ben)");
            atBen = benRings.get(TIMEOUT_S, TimeUnit.SECONDS);
            assertEquals(atAnn.id(), atBen.id());
            await(atBen.answer(), "answer()");
            waitUntil("ann's call is active", () -> atAnn.state() == CallState.ACTIVE, TIMEOUT_S);
        }

        void bothEndedWhenTheBundleStopped() throws Exception {
            CallEndReason ann = annEnded.get(TIMEOUT_S, TimeUnit.SECONDS);
            CallEndReason ben = benEnded.get(TIMEOUT_S, TimeUnit.SECONDS);
            // both clients run in this framework, so the bundle's stop ends their managers one after the
            // other: the second may hear the first one's hang-up before its own stop reaches its call
            assertTrue("ended by the stop: ann " + ann + ", ben " + ben,
                    ann == CallEndReason.FEATURE_STOPPED || ben == CallEndReason.FEATURE_STOPPED);
            for (CallEndReason r : new CallEndReason[] {ann, ben}) {
                assertTrue("ann " + ann + ", ben " + ben,
                        r == CallEndReason.FEATURE_STOPPED || r == CallEndReason.REMOTE_HANGUP);
            }
            assertEquals(CallState.ENDED, atAnn.state());
            assertEquals(CallState.ENDED, atBen.state());
        }

        String callId() {
            return atAnn.id();
        }

        @SuppressWarnings("unchecked")
        void theNextCallUsesTheOverriddenMedia(String firstCallId) throws Exception {
            aCallIsPlacedAndAnswered();
            Supplier<short[]> heard = (Supplier<short[]>) ann.require(MediaManager.class).defaultSink();
            waitUntil("ann hears ben's 700 Hz through the relay", () -> amplitude(heard.get(), 700) > 1_500, TIMEOUT_S);
            await(atAnn.hangUp(), "hangUp()");
            assertEquals(CallEndReason.REMOTE_HANGUP, benEnded.get(TIMEOUT_S, TimeUnit.SECONDS));
            // the first call, ended when the bundle stopped, is recorded as ended by the server
            waitUntil("the first call is in ben's log, ended", () -> {
                try {
                    return await(benCalls.callLog(null, 10), "callLog").records().stream()
                            .anyMatch(r -> r.callId().equals(firstCallId) && r.endedAt() != null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, TIMEOUT_S);
        }
    }

    /** Goertzel: the amplitude of one frequency in 48 kHz audio (0 for none). */
    private static double amplitude(short[] samples, double hz) {
        if (samples.length == 0) {
            return 0;
        }
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / 48_000);
        double s1 = 0;
        double s2 = 0;
        for (short sample : samples) {
            double s = sample + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return 2 * Math.sqrt(Math.max(s1 * s1 + s2 * s2 - coefficient * s1 * s2, 0)) / samples.length;
    }
}
