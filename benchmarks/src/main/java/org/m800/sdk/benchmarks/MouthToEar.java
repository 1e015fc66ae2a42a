package org.m800.sdk.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.call.Call;
import org.m800.sdk.call.CallListener;
import org.m800.sdk.call.CallManager;
import org.m800.sdk.call.CallOptions;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.m800.server.ReferenceServer;

/**
 * W10's mouth-to-ear latency: a call from A to B through the reference server's relay (the real media
 * engine, SRTP, 20 ms packets); A's source is silence with a click (10 ms of 1 kHz near full scale) every
 * {@value #CLICK_EVERY_MS} ms, B's sink finds each click's onset. A source is read a frame at a time, so the
 * click's first sample counts as spoken when a microphone would have captured it: the frame's end is the
 * moment of the read, its first sample 20 ms before. A sample written to the sink counts as heard at the
 * write plus its place in the frame (a speaker plays the frame from the moment it gets it). So the latency
 * includes the packetization (20 ms), the codec's look-ahead, the network and relay, the jitter buffer
 * and the playout clock's phase; not the sound card's own buffers, which no loopback test has.
 */
final class MouthToEar {

    static final int CLICK_EVERY_MS = 300;
    static final int CLICKS = 40;
    static final int WARMUP_CLICKS = 5;
    private static final int RATE = W10Calls.RATE;
    private static final int CLICK_SAMPLES = RATE / 100;
    private static final int THRESHOLD = 4_000;

    private MouthToEar() {
    }

    static Result measure(Env env, ReferenceServer server, String codec) throws Exception {
        ClickSource source = new ClickSource();
        OnsetSink sink = new OnsetSink();
        List<Client> clients = new ArrayList<>();
        try {
            Client a = W10Calls.client(env, server, "w10-m2e-a-" + codec, source, new W10Calls.ToneSink(1000),
                    MediaEngine::create);
            clients.add(a);
            Client b = W10Calls.client(env, server, "w10-m2e-b-" + codec, new SilentSource(), sink,
                    MediaEngine::create);
            clients.add(b);
            W10Calls.signUp(a, "w10-m2e-a");
            W10Calls.signUp(b, "w10-m2e-b");
            b.require(CallManager.class).addListener(new CallListener() {
                @Override
                public void incoming(Call call) {
                    call.answer(CallOptions.DEFAULTS.withCodecs(codec));
                }
            });
            String bId = b.require(AccountManager.class).profile().orElseThrow().userId();
            Call call = Env.await(a.require(CallManager.class).call(bId, CallOptions.DEFAULTS.withCodecs(codec)),
                    10_000, "call");
            List<Double> ms = new ArrayList<>();
            int missed = 0;
            Stats stats;
            double jitter;
            try {
                Env.pause(1_000); // the call is up and the streams flow
                for (int i = 0; i < WARMUP_CLICKS + CLICKS; i++) {
                    sink.onsets.clear();
                    long spoken = source.click();
                    Long heard = sink.onsets.poll(1, TimeUnit.SECONDS);
                    if (heard == null) {
                        // its packet lost, or its frame dropped by the jitter buffer shrinking its delay
                        missed++;
                    } else if (i >= WARMUP_CLICKS) {
                        ms.add((heard - spoken) / 1e6);
                    }
                    Env.pause(CLICK_EVERY_MS);
                }
                if (missed > (WARMUP_CLICKS + CLICKS) / 5) {
                    throw new CorrectnessException(missed + " of " + (WARMUP_CLICKS + CLICKS) + " clicks were not heard ("
                            + codec + "); " + call.statistics());
                }
                stats = Stats.of(ms.stream().mapToDouble(Double::doubleValue).toArray());
                jitter = jitterAtB(b);
            } finally {
                Env.await(call.hangUp(), 10_000, "hang-up");
            }
            return Result.stats("W10.m2e." + codec, "mouth-to-ear through the relay (" + codec
                    + ", 20 ms packets, SRTP): click at A's source until its onset at B's sink", "p50 <= 60 ms", "ms",
                    stats, Result.verdict(stats.median() <= 60), String.format(Locale.ROOT,
                            "%d clicks after %d, one at a time, %d not heard (lost or dropped); includes 20 ms of "
                            + "packetization; p99 %.0f ms; interarrival jitter at B at the end %.1f ms", ms.size(),
                            WARMUP_CLICKS, missed, stats.p99(), jitter));
        } finally {
            clients.forEach(Client::close);
        }
    }

    private static double jitterAtB(Client b) {
        return b.require(CallManager.class).calls().stream().mapToDouble(c -> c.statistics().jitterMs()).max()
                .orElse(0);
    }

    /** Silence; on request a click in the next frame read, whose first sample's capture time it reports. */
    static final class ClickSource implements AudioSource {
        private final LinkedBlockingQueue<Long> spoken = new LinkedBlockingQueue<>();
        private volatile boolean pending;

        /** Puts a click into the next frame; @return when its first sample was "spoken" ({@link System#nanoTime()}) */
        long click() throws Exception {
            spoken.clear();
            pending = true;
            Long at = spoken.poll(2, TimeUnit.SECONDS);
            if (at == null) {
                throw new CorrectnessException("the source was not read within 2 s");
            }
            return at;
        }

        @Override
        public int sampleRate() {
            return RATE;
        }

        @Override
        public boolean read(short[] frame) {
            java.util.Arrays.fill(frame, (short) 0);
            if (pending) {
                pending = false;
                for (int i = 0; i < CLICK_SAMPLES; i++) {
                    frame[i] = (short) (20_000 * Math.sin(2 * Math.PI * 1000 * i / RATE));
                }
                // the frame ends now; its first sample was captured one frame ago
                spoken.add(System.nanoTime() - 1_000_000_000L * frame.length / RATE);
            }
            return true;
        }
    }

    /** Reports the time each sound after silence starts to play. */
    static final class OnsetSink implements AudioSink {
        final LinkedBlockingQueue<Long> onsets = new LinkedBlockingQueue<>();
        private int quietFrames = 5;

        @Override
        public int sampleRate() {
            return RATE;
        }

        @Override
        public void write(short[] frame) {
            long now = System.nanoTime();
            int onset = -1;
            for (int i = 0; i < frame.length; i++) {
                if (Math.abs(frame[i]) > THRESHOLD) {
                    onset = i;
                    break;
                }
            }
            if (onset < 0) {
                quietFrames++;
                return;
            }
            if (quietFrames >= 5) {
                onsets.add(now + 1_000_000_000L * onset / RATE);
            }
            quietFrames = 0;
        }
    }

    /** Silence. */
    static final class SilentSource implements AudioSource {
        @Override
        public int sampleRate() {
            return RATE;
        }

        @Override
        public boolean read(short[] frame) {
            java.util.Arrays.fill(frame, (short) 0);
            return true;
        }
    }
}
