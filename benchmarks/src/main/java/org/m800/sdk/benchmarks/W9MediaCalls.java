package org.m800.sdk.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusSignal;
import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.internal.media.codec.Codecs;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/**
 * W9: the SDK's media CPU and heap per call. N calls in this JVM, each between two media engines (one per
 * client, as each client's call manager has its own) over loopback UDP: Opus at 16 kHz both ways, SRTP,
 * RTCP, jitter buffers, 20 ms packets; each side sends a tone and its sink checks that it hears audio. CPU is
 * the process's CPU time over a measured window (after a warm-up), per call and per second of call:
 * encode + decode + SRTP in both directions: the SDK's own, as the CPU time of the engines' threads
 * ({@code m800-media-*}), and the whole JVM's (with GC, JIT and this benchmark). The ceiling is the bare Concentus cost of the same audio, measured in this run on one thread:
 * two 16 kHz encodes and two 48 kHz decodes per 20 ms; the ratio says what the rest of the engine adds.
 * With one call the whole JVM's row is mostly the JVM's own fixed work (JIT, GC, timers). Heap per call: used heap after GC with the calls running, minus before, divided by N. A 12 s run of four
 * calls warms the JIT up first; the ceiling is the best of three measures after it.
 */
final class W9MediaCalls implements Workload {

    static final int[] CALLS = {1, 4, 8};
    static final int WARMUP_SECONDS = 4;
    static final int MEASURE_SECONDS = 10;
    static final int RATE = 16000;
    private static final AudioCodecSpec OPUS = Codecs.SUPPORTED.get(0);

    @Override
    public String id() {
        return "W9";
    }

    @Override
    public String title() {
        return "media CPU and heap per call: Opus 16 kHz + SRTP both ways, N calls in one JVM";
    }

    @Override
    public List<Result> run(Env env) throws Exception {
        List<Result> rows = new ArrayList<>();
        // warm-up: the JIT compiles the engine and the codec before anything is measured
        measure(4, 12);
        double ceiling = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            ceiling = Math.min(ceiling, bareCodecCpuMsPerCallSecond());
        }
        rows.add(Result.value("W9.ceiling", "bare Concentus encode+decode, both directions, per call-second", "-",
                "ms CPU/s", ceiling, Result.Verdict.INFO, "one thread, 2 x (encode 16 kHz + decode 48 kHz) per 20 ms"));
        for (int n : CALLS) {
            Measured m = measure(n, MEASURE_SECONDS);
            rows.add(Result.value("W9.cpu." + n, n + " call(s): SDK media threads' CPU per call-second", "-", "ms CPU/s",
                    m.cpuMsPerCallSecond, Result.Verdict.INFO, String.format(Locale.ROOT,
                            "%.1f %% of a core per call; %.2f x the bare codec (threads m800-media-*)",
                            m.cpuMsPerCallSecond / 10, m.cpuMsPerCallSecond / ceiling)));
            rows.add(Result.value("W9.process." + n, n + " call(s): whole JVM's CPU per call-second", "-", "ms CPU/s",
                    m.processCpuMsPerCallSecond, Result.Verdict.INFO, "with the JIT, GC and the benchmark itself"));
            rows.add(Result.value("W9.ratio." + n, n + " call(s): SDK CPU / bare Concentus", "-", "x",
                    m.cpuMsPerCallSecond / ceiling, Result.Verdict.INFO, "what RTP, SRTP, jitter buffer, resampling, "
                            + "threads and the JVM add to the codec"));
            rows.add(Result.value("W9.heap." + n, n + " call(s): heap per call", "-", "KiB", m.heapKiBPerCall,
                    Result.Verdict.INFO, "used heap after GC, calls running, minus before"));
            rows.add(Result.value("W9.sent." + n, n + " call(s): packets sent / expected", "-", "%",
                    m.sentPercent, Result.Verdict.INFO, "below 100 % the engines fell behind the 20 ms pace"));
            rows.add(Result.value("W9.audible." + n, n + " call(s): frames with the tone, worst sink", "-", "%",
                    m.audiblePercent, Result.Verdict.INFO, "the rest were concealed or re-buffered by the jitter buffer"));
        }
        return rows;
    }

    private record Measured(double cpuMsPerCallSecond, double processCpuMsPerCallSecond, double heapKiBPerCall,
            double sentPercent, double audiblePercent) {
    }

    /** Sessions of one call: two engines, two sessions. */
    private record Call(MediaEngine engineA, MediaEngine engineB, MediaSession a, MediaSession b, CountingSink sinkA,
            CountingSink sinkB) {

        void close() {
            engineA.close();
            engineB.close();
        }
    }

    private static Measured measure(int n, int measureSeconds) throws Exception {
        long heapBefore = usedHeapAfterGc();
        List<Call> calls = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < n; i++) {
                MediaEngine ea = MediaEngine.create();
                MediaEngine eb = MediaEngine.create();
                MediaSession a = ea.open(loopback);
                MediaSession b = eb.open(loopback);
                CountingSink sinkA = new CountingSink();
                CountingSink sinkB = new CountingSink();
                a.start(new NegotiatedMedia(b.localAddress(), OPUS, Codecs.EVENTS_48K_PT, MediaDirection.SENDRECV,
                        b.localSrtpKey()), new Tone(440), sinkA);
                b.start(new NegotiatedMedia(a.localAddress(), OPUS, Codecs.EVENTS_48K_PT, MediaDirection.SENDRECV,
                        a.localSrtpKey()), new Tone(1000), sinkB);
                calls.add(new Call(ea, eb, a, b, sinkA, sinkB));
            }
            Thread.sleep(WARMUP_SECONDS * 1000L);
            long heapWith = usedHeapAfterGc();
            for (Call c : calls) {
                c.sinkA.reset();
                c.sinkB.reset();
            }
            long sentBefore = sent(calls);
            long cpu0 = processCpuNanos();
            long media0 = mediaThreadsCpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(measureSeconds * 1000L);
            long cpu1 = processCpuNanos();
            long media1 = mediaThreadsCpuNanos();
            long t1 = System.nanoTime();
            long sentAfter = sent(calls);
            double seconds = (t1 - t0) / 1e9;
            double worst = 1;
            for (Call c : calls) {
                worst = Math.min(worst, Math.min(c.sinkA.loudShare(), c.sinkB.loudShare()));
                CorrectnessException.check(c.b.stats().packetsRejected() == 0, "W9: packets rejected " + c.b.stats());
                // frames concealed or re-buffered on a loaded machine are quality (reported), not correctness;
                // a call whose tone never arrives is broken
                CorrectnessException.check(c.sinkA.loudFrames.get() > 0 && c.sinkB.loudFrames.get() > 0,
                        "W9: a call's sink never heard its tone: " + c.a.stats() + " / " + c.b.stats());
            }
            double expected = seconds * 50 * 2 * n;
            return new Measured((media1 - media0) / 1e6 / seconds / n, (cpu1 - cpu0) / 1e6 / seconds / n,
                    (heapWith - heapBefore) / 1024.0 / n, 100.0 * (sentAfter - sentBefore) / expected, 100.0 * worst);
        } finally {
            calls.forEach(Call::close);
        }
    }

    private static long sent(List<Call> calls) {
        long sum = 0;
        for (Call c : calls) {
            sum += c.a.stats().packetsSent() + c.b.stats().packetsSent();
        }
        return sum;
    }

    /** Two 16 kHz encodes and two 48 kHz decodes per 20 ms of call, on this thread, warm. */
    static double bareCodecCpuMsPerCallSecond() throws Exception {
        OpusEncoder encoder = new OpusEncoder(RATE, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.setBitrate(24000);
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        encoder.setComplexity(5);
        encoder.setUseInbandFEC(true);
        encoder.setPacketLossPercent(5);
        OpusDecoder decoder = new OpusDecoder(48000, 1);
        short[] pcm = new short[RATE / 50];
        short[] out = new short[960];
        byte[] packet = new byte[1500];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long n = 0;
        int frames = 0;
        long cpu0 = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            cpu0 = threads.getCurrentThreadCpuTime();
            frames = round == 0 ? 1000 : 2500;
            for (int f = 0; f < frames; f++) {
                for (int i = 0; i < pcm.length; i++, n++) {
                    pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * n / RATE));
                }
                int len = encoder.encode(pcm, 0, pcm.length, packet, 0, packet.length);
                decoder.decode(packet, 0, len, out, 0, 960, false);
            }
        }
        double msPerFrame = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / frames;
        return msPerFrame * 50 * 2;
    }

    /** CPU time of the media engines' threads (receive and tick), alive now. */
    private static long mediaThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("m800-media-")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    sum += cpu;
                }
            }
        }
        return sum;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report its process CPU time");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /** A sine at 16 kHz. */
    private static final class Tone implements AudioSource {
        private final double step;
        private double phase;

        Tone(double hz) {
            step = 2 * Math.PI * hz / RATE;
        }

        @Override
        public int sampleRate() {
            return RATE;
        }

        @Override
        public boolean read(short[] frame) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (short) (8000 * Math.sin(phase));
                phase += step;
            }
            phase %= 2 * Math.PI;
            return true;
        }
    }

    /** Counts the frames played and those with the tone in them (RMS above 1,000), for the check that audio arrives. */
    private static final class CountingSink implements AudioSink {
        volatile double rms;
        final java.util.concurrent.atomic.AtomicLong frames = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong loudFrames = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public int sampleRate() {
            return RATE;
        }

        @Override
        public void write(short[] frame) {
            double sum = 0;
            for (short s : frame) {
                sum += (double) s * s;
            }
            rms = Math.sqrt(sum / frame.length);
            frames.incrementAndGet();
            if (rms > 1000) {
                loudFrames.incrementAndGet();
            }
        }

        void reset() {
            frames.set(0);
            loudFrames.set(0);
        }

        /** @return the share of frames since {@link #reset()} that carried the tone */
        double loudShare() {
            long all = frames.get();
            return all == 0 ? 0 : (double) loudFrames.get() / all;
        }
    }
}
