package org.m800.sdk.call.internal.media.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.internal.media.srtp.SrtpContext;
import org.m800.sdk.call.testing.Ffmpeg;
import org.m800.sdk.call.testing.Goertzel;
import org.m800.sdk.call.testing.RecordingSink;
import org.m800.sdk.call.testing.ToneSource;

/**
 * Interoperability with an RTP and SRTP implementation no one here wrote: FFmpeg (libavformat's RTP muxer
 * and demuxer, its SRTP, libopus and its own Opus decoder). FFmpeg sends a 1,000 Hz sine as SRTP PCMU and
 * Opus to a session, which must hear it (also in packets of 10 and 60 ms); a session sends 440 Hz that FFmpeg receives from an SDP file with
 * an {@code a=crypto} line and decodes to a WAV file, which must hold the tone. The same with plain PCMU RTP
 * (RTP/AVP, no key) both ways, which a session runs when the application allowed it.
 */
public class FfmpegInteropTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @BeforeClass
    public static void ffmpegIsInstalled() {
        Ffmpeg.requireInstalled();
    }

    @Test
    public void ffmpegSendsSrtpPcmu() throws Exception {
        ffmpegSends(LoopbackCallTest.PCMU, "pcm_mulaw", 8000);
    }

    @Test
    public void ffmpegSendsSrtpOpus() throws Exception {
        ffmpegSends(new AudioCodecSpec("opus", 111, 48000, 2), "libopus", 48000);
    }

    @Test
    public void ffmpegReceivesSrtpPcmuAndDecodesIt() throws Exception {
        ffmpegReceives(LoopbackCallTest.PCMU, "PCMU/8000");
    }

    @Test
    public void ffmpegReceivesSrtpOpusAndDecodesIt() throws Exception {
        ffmpegReceives(new AudioCodecSpec("opus", 111, 48000, 2), "opus/48000/2");
    }

    @Test
    public void ffmpegSendsPlainPcmu() throws Exception {
        ffmpegSends(LoopbackCallTest.PCMU, "pcm_mulaw", 8000, true);
    }

    @Test
    public void ffmpegReceivesPlainPcmuAndDecodesIt() throws Exception {
        ffmpegReceives(LoopbackCallTest.PCMU, "PCMU/8000", true);
    }

    @Test
    public void ffmpegSendsPcmuIn10MillisecondPackets() throws Exception {
        ffmpegSends(LoopbackCallTest.PCMU, "pcm_mulaw", 8000, false, 10);
    }

    @Test
    public void ffmpegSendsPcmuIn60MillisecondPackets() throws Exception {
        ffmpegSends(LoopbackCallTest.PCMU, "pcm_mulaw", 8000, false, 60);
    }

    @Test
    public void ffmpegSendsOpusIn10MillisecondFrames() throws Exception {
        ffmpegSends(new AudioCodecSpec("opus", 111, 48000, 2), "libopus", 48000, false, 10);
    }

    @Test
    public void ffmpegSendsOpusIn60MillisecondFrames() throws Exception {
        ffmpegSends(new AudioCodecSpec("opus", 111, 48000, 2), "libopus", 48000, false, 60);
    }

    private void ffmpegSends(AudioCodecSpec codec, String encoder, int rate) throws Exception {
        ffmpegSends(codec, encoder, rate, false);
    }

    private void ffmpegSends(AudioCodecSpec codec, String encoder, int rate, boolean plain) throws Exception {
        ffmpegSends(codec, encoder, rate, plain, 20);
    }

    /**
     * With {@code plain}: plain RTP (RTP/AVP), as an application that allows it gets from a peer without SRTP.
     * {@code packetMs}: libopus's frame duration, or the G.711 packet time (source frames of that length in
     * packets of at most that payload).
     */
    private void ffmpegSends(AudioCodecSpec codec, String encoder, int rate, boolean plain, int packetMs)
            throws Exception {
        byte[] ffmpegKey = plain ? null : SrtpContext.newMaster();
        int ffmpegPort = Ffmpeg.freeUdpPortPair();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MediaEngine engine = MediaEngine.create()) {
            MediaSession session = engine.open(loopback);
            RecordingSink sink = new RecordingSink(16000);
            session.start(new NegotiatedMedia(new InetSocketAddress(loopback, ffmpegPort), codec, -1,
                    MediaDirection.RECVONLY, ffmpegKey), new ToneSource(16000, 440, 1000), sink);
            int port = session.localAddress().getPort();
            // RTCP to the RTP port (rtcp-mux), sent from ffmpegPort: the address the session accepts
            String url = (plain ? "rtp" : "srtp") + "://127.0.0.1:" + port + "?rtcpport=" + port + "&localrtpport=" + ffmpegPort
                    + "&localrtcpport=" + (ffmpegPort + 1);
            List<String> args = new ArrayList<>(List.of("-re", "-f", "lavfi", "-i",
                    "sine=frequency=1000:sample_rate=" + rate + ":duration=6:samples_per_frame=" + rate * packetMs / 1000,
                    "-ac", "1", "-c:a", encoder,
                    // packets of packetMs: for Opus the encoder's frame, for G.711 source frames of that length in
                    // packets of at most that payload (12 bytes of RTP header)
                    encoder.equals("libopus") ? "-frame_duration" : "-packetsize",
                    encoder.equals("libopus") ? Integer.toString(packetMs) : Integer.toString(12 + 8 * packetMs),
                    "-payload_type", Integer.toString(codec.payloadType()), "-f", "rtp"));
            if (!plain) {
                args.addAll(List.of("-srtp_out_suite", "AES_CM_128_HMAC_SHA1_80", "-srtp_out_params",
                        Base64.getEncoder().encodeToString(ffmpegKey)));
            }
            args.add(url);
            try (Ffmpeg ffmpeg = Ffmpeg.start(temp.getRoot().toPath(), args.toArray(String[]::new))) {
                short[] audio = awaitTone(sink, 1000, ffmpeg);
                String heard = "from ffmpeg " + encoder + " in " + packetMs + " ms packets: " + Goertzel.describe(audio, 16000, 1000, 440) + " "
                        + session.stats();
                // ffmpeg's sine filter is at 1/8 of full scale
                assertTrue(heard, Goertzel.blockAmplitude(audio, 16000, 1000) > 2000);
                assertTrue(heard, Goertzel.blockAmplitude(audio, 16000, 440) < 100);
                assertEquals(heard, 0, session.stats().packetsRejected());
                ffmpeg.awaitSuccess(60);
            }
        }
    }

    /** Waits (up to 30 s of the sink's audio) for a second in which the tone is there, and returns it. */
    private static short[] awaitTone(RecordingSink sink, double frequency, Ffmpeg ffmpeg) throws Exception {
        short[] last = null;
        for (int i = 0; i < 30; i++) {
            last = sink.next(1000, 30);
            if (Goertzel.blockAmplitude(last, sink.sampleRate(), frequency) > 1000) {
                // the next second is the one measured: the stream is under way
                return sink.next(1000, 30);
            }
        }
        throw new AssertionError("no " + frequency + " Hz from ffmpeg in 30 s: "
                + Goertzel.describe(last, sink.sampleRate(), frequency) + "; ffmpeg said: " + ffmpeg.output());
    }

    @Test
    public void ffmpegReceivesPcmuIn30MillisecondPacketsAsItsSdpAsks() throws Exception {
        ffmpegReceives(LoopbackCallTest.PCMU, "PCMU/8000", false, 30);
    }

    private void ffmpegReceives(AudioCodecSpec codec, String rtpmap) throws Exception {
        ffmpegReceives(codec, rtpmap, false);
    }

    private void ffmpegReceives(AudioCodecSpec codec, String rtpmap, boolean plain) throws Exception {
        ffmpegReceives(codec, rtpmap, plain, 20);
    }

    private void ffmpegReceives(AudioCodecSpec codec, String rtpmap, boolean plain, int ptime) throws Exception {
        int ffmpegPort = Ffmpeg.freeUdpPortPair();
        // what ffmpeg would use to send: unused, it only receives
        byte[] ffmpegKey = plain ? null : SrtpContext.newMaster();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MediaEngine engine = MediaEngine.create()) {
            MediaSession session = engine.open(loopback);
            String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=m800\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + ffmpegPort + (plain ? " RTP/AVP " : " RTP/SAVP ") + codec.payloadType() + "\r\n"
                    + "a=rtpmap:" + codec.payloadType() + " " + rtpmap + "\r\n" + "a=ptime:" + ptime + "\r\n"
                    + (plain ? "" : "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                            + Base64.getEncoder().encodeToString(session.localSrtpKey()) + "\r\n");
            Path sdpFile = temp.getRoot().toPath().resolve("in.sdp");
            Files.writeString(sdpFile, sdp);
            File wav = new File(temp.getRoot(), "out.wav");
            try (Ffmpeg ffmpeg = Ffmpeg.start(temp.getRoot().toPath(), "-protocol_whitelist", "file,udp,rtp,srtp",
                    "-i", sdpFile.toString(), "-t", "3", "-ac", "1", "-ar", "16000", wav.getName())) {
                // ffmpeg needs a moment to bind its port; what the session sends before that is lost, as UDP may
                session.start(new NegotiatedMedia(new InetSocketAddress(loopback, ffmpegPort), codec, -1,
                        MediaDirection.SENDONLY, ffmpegKey, ptime), new ToneSource(48000, 440, 8000),
                        new RecordingSink(8000));
                ffmpeg.awaitSuccess(60);
                short[] audio = readWav(wav);
                short[] tail = java.util.Arrays.copyOfRange(audio, audio.length / 3, audio.length);
                String heard = "ffmpeg decoded " + rtpmap + ": " + audio.length + " samples, "
                        + Goertzel.describe(tail, 16000, 440, 1000) + "; ffmpeg said: " + ffmpeg.output();
                // at least 1 s of the 3 s: on a starved machine the engine skips a stalled stretch (its RTP clock
                // jumps ahead) and ffmpeg's 3 s of timeline then hold less audio
                assertTrue(heard, audio.length >= 16000);
                assertTrue(heard, Goertzel.blockAmplitude(tail, 16000, 440) > 8000 * 0.4);
                assertTrue(heard, Goertzel.blockAmplitude(tail, 16000, 1000) < 8000 * 0.03);
            }
        }
    }

    private static short[] readWav(File wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav)) {
            AudioFormat format = in.getFormat();
            assertEquals(16000, format.getSampleRate(), 0);
            assertEquals(1, format.getChannels());
            byte[] bytes = in.readAllBytes();
            short[] samples = new short[bytes.length / 2];
            boolean big = format.isBigEndian();
            for (int i = 0; i < samples.length; i++) {
                int lo = bytes[2 * i + (big ? 1 : 0)] & 0xFF;
                int hi = bytes[2 * i + (big ? 0 : 1)];
                samples[i] = (short) ((hi << 8) | lo);
            }
            return samples;
        }
    }
}
