package org.m800.sdk.call.internal.media.engine;

import java.util.Arrays;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusRepacketizer;

/**
 * What another RTP implementation sends: plain RTP packets of a tone, with a packet time the engine does not
 * send itself. G.711 μ-law of any packet time (encoded here, not by the code under test); Opus through
 * Concentus's encoder directly, one frame of 10, 20, 40 or 60 ms per packet, or several 20 ms frames joined
 * into one packet by Concentus's repacketizer (RFC 6716 3.2, code 1 or 3).
 */
final class PeerStream {

    static final int SSRC = 0x1234ABCD;

    private final boolean opus;
    private final int payloadType;
    private final int rate;
    private final int frameSamples;
    private final int framesPerPacket;
    private final double frequency;
    private final double amplitude;
    private final OpusEncoder encoder;
    private long n;
    private int sequence = 40_000;
    private long timestamp = 0xFFFF_F000L; // wraps within the first second

    private PeerStream(boolean opus, int payloadType, int frameMs, int framesPerPacket, double frequency,
            double amplitude) throws OpusException {
        this.opus = opus;
        this.payloadType = payloadType;
        this.rate = opus ? 48000 : 8000;
        this.frameSamples = rate * frameMs / 1000;
        this.framesPerPacket = framesPerPacket;
        this.frequency = frequency;
        this.amplitude = amplitude;
        if (opus) {
            encoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
            encoder.setBitrate(48000);
        } else {
            encoder = null;
        }
    }

    /** G.711 μ-law (payload type 0) in packets of {@code ptimeMs}. */
    static PeerStream pcmu(int ptimeMs, double frequency, double amplitude) throws OpusException {
        return new PeerStream(false, 0, ptimeMs, 1, frequency, amplitude);
    }

    /** Opus (payload type 111), {@code frames} frames of {@code frameMs} in each packet. */
    static PeerStream opus(int frameMs, int frames, double frequency, double amplitude) throws OpusException {
        return new PeerStream(true, 111, frameMs, frames, frequency, amplitude);
    }

    /** @return the duration of a packet in milliseconds */
    int packetMs() {
        return frameSamples * framesPerPacket * 1000 / rate;
    }

    /** @return the next RTP packet (sequence number and timestamp advance, also for a packet not sent) */
    byte[] next() throws OpusException {
        byte[] payload = opus ? opusPayload() : ulawPayload();
        byte[] packet = new byte[12 + payload.length];
        packet[0] = (byte) 0x80;
        packet[1] = (byte) payloadType;
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (timestamp >> (24 - 8 * i));
            packet[8 + i] = (byte) (SSRC >> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, packet, 12, payload.length);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + (long) frameSamples * framesPerPacket) & 0xFFFFFFFFL;
        return packet;
    }

    private short[] tone(int samples) {
        short[] pcm = new short[samples];
        for (int i = 0; i < samples; i++, n++) {
            pcm[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * n / rate));
        }
        return pcm;
    }

    private byte[] ulawPayload() {
        short[] pcm = tone(frameSamples);
        byte[] out = new byte[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = ulaw(pcm[i]);
        }
        return out;
    }

    private byte[] opusPayload() throws OpusException {
        byte[][] frames = new byte[framesPerPacket][];
        for (int f = 0; f < framesPerPacket; f++) {
            byte[] buf = new byte[1275];
            int len = encoder.encode(tone(frameSamples), 0, frameSamples, buf, 0, buf.length);
            frames[f] = Arrays.copyOf(buf, len);
        }
        if (framesPerPacket == 1) {
            return frames[0];
        }
        OpusRepacketizer joiner = new OpusRepacketizer();
        for (byte[] frame : frames) {
            int result = joiner.addPacket(frame, 0, frame.length);
            if (result != 0) {
                throw new IllegalStateException("the repacketizer refused a frame: " + result);
            }
        }
        byte[] out = new byte[1275 * framesPerPacket + 10];
        int len = joiner.createPacket(out, 0, out.length);
        if (len <= 0) {
            throw new IllegalStateException("the repacketizer made no packet: " + len);
        }
        return Arrays.copyOf(out, len);
    }

    /** ITU-T G.711 linear to μ-law (the classic Sun reference algorithm). */
    private static byte ulaw(short sample) {
        int pcm = sample;
        int mask;
        if (pcm < 0) {
            pcm = -pcm;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        pcm = Math.min(pcm, 32635) + 0x84;
        int seg = Math.min(7, 31 - Integer.numberOfLeadingZeros(pcm >> 7));
        int uval = (seg << 4) | ((pcm >> (seg + 3)) & 0x0F);
        return (byte) (uval ^ mask);
    }
}
