package org.m800.sdk.call.internal.media.engine;

import java.security.SecureRandom;
import java.util.Arrays;

import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.codec.AudioEncoder;
import org.m800.sdk.call.internal.media.codec.Codecs;
import org.m800.sdk.call.internal.media.codec.Resampler;
import org.m800.sdk.call.internal.media.dtmf.DtmfSender;
import org.m800.sdk.call.internal.media.rtp.RtpHeader;
import org.m800.sdk.call.internal.media.srtp.SrtpContext;
import org.m800.sdk.media.AudioSource;

/**
 * The sending half of a session: source → resampler → encoder (or a DTMF event) → RTP → SRTP, one packet
 * per tick of the send clock, whose period is the packet time. The source gives 20 ms frames; a packet
 * time of 10, 30 or 40 ms (G.711) takes its samples from a queue of resampled frames, reading as many
 * frames as the packet needs. The sequence number and SSRC start at random values (RFC 3550 5.1); the timestamp advances by
 * 20 ms every tick, sent or not, so that it keeps the wall-clock pace across a hold. Guarded by the
 * session's lock.
 */
final class SendPath {

    private static final SecureRandom RANDOM = new SecureRandom();

    final long ssrc = RANDOM.nextInt() & 0xFFFFFFFFL;
    private final byte[] localMaster;
    /** null for plain RTP */
    private SrtpContext srtp;
    private final DtmfSender dtmf = new DtmfSender();
    private final byte[] packet = new byte[1500 + SrtpContext.RTP_OVERHEAD];
    private final byte[] payload = new byte[1500];
    private int sequence = RANDOM.nextInt(0x10000);
    private long timestamp = RANDOM.nextInt() & 0xFFFFFFFFL;

    private AudioCodecSpec codec;
    private AudioEncoder encoder;
    private Resampler resampler;
    private short[] sourceFrame;
    private short[] codecFrame;
    private int ptimeMs = 20;
    /** resampled audio not sent yet, at the encoder's rate: {@code queued} samples */
    private short[] queue = new short[0];
    private int queued;
    private short[] packetPcm = new short[0];
    private boolean talkspurt = true;

    long packetsSent;
    long octetsSent;
    /** RMS level of the last frame sent, 0..1. */
    float level;

    SendPath(byte[] localMaster) {
        this.localMaster = localMaster;
    }

    /**
     * Sets the codec, the source's rate (a new encoder when either changes) and whether to encrypt (the SRTP
     * context, once made, is kept: its rollover counter goes on).
     */
    void configure(AudioCodecSpec spec, int sourceRate, boolean encrypted, int packetMs) {
        if (!encrypted) {
            srtp = null;
        } else if (srtp == null) {
            srtp = new SrtpContext(localMaster);
        }
        if (spec.equals(codec) && sourceFrame != null && sourceFrame.length == sourceRate / 50 && packetMs == ptimeMs) {
            return;
        }
        ptimeMs = packetMs;
        codec = spec;
        encoder = Codecs.encoder(spec, sourceRate);
        resampler = new Resampler(sourceRate, encoder.sampleRate());
        sourceFrame = new short[sourceRate / 50];
        codecFrame = new short[encoder.sampleRate() / 50];
        packetPcm = new short[encoder.sampleRate() * ptimeMs / 1000];
        queue = new short[packetPcm.length + codecFrame.length];
        queued = 0;
        talkspurt = true;
    }

    /** @return the packet time in milliseconds */
    int ptimeMs() {
        return ptimeMs;
    }

    void queueDtmf(int code) {
        dtmf.add(code);
    }

    /** The sender's timestamp: where the stream is now. */
    long timestamp() {
        return timestamp;
    }

    /** Advances 20 ms without sending (hold, inactive). */
    void skip() {
        timestamp = (timestamp + codec.clockRate() * ptimeMs / 1000) & 0xFFFFFFFFL;
        queued = 0;
        talkspurt = true;
        level = 0;
    }

    /**
     * Makes this tick's SRTP packet.
     *
     * @return its length in {@link #packet()}
     */
    int next(AudioSource source, boolean muted, int eventPayloadType) {
        int units = codec.clockRate() * ptimeMs / 1000;
        DtmfSender.Packet event = eventPayloadType >= 0 ? dtmf.next(timestamp, units) : null;
        int len;
        if (event != null) {
            RtpHeader.write(packet, event.marker(), eventPayloadType, sequence, event.timestamp(), ssrc);
            System.arraycopy(event.payload(), 0, packet, RtpHeader.FIXED, event.payload().length);
            len = RtpHeader.FIXED + event.payload().length;
        } else {
            while (queued < packetPcm.length) {
                if (source == null || !source.read(sourceFrame) || muted) {
                    Arrays.fill(sourceFrame, (short) 0);
                }
                level = Levels.rms(sourceFrame);
                resampler.process(sourceFrame, codecFrame);
                System.arraycopy(codecFrame, 0, queue, queued, codecFrame.length);
                queued += codecFrame.length;
            }
            System.arraycopy(queue, 0, packetPcm, 0, packetPcm.length);
            queued -= packetPcm.length;
            System.arraycopy(queue, packetPcm.length, queue, 0, queued);
            int n = encoder.encode(packetPcm, payload);
            RtpHeader.write(packet, talkspurt, codec.payloadType(), sequence, timestamp, ssrc);
            System.arraycopy(payload, 0, packet, RtpHeader.FIXED, n);
            len = RtpHeader.FIXED + n;
            talkspurt = false;
        }
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + units) & 0xFFFFFFFFL;
        packetsSent++;
        octetsSent += len - RtpHeader.FIXED;
        return srtp == null ? len : srtp.protectRtp(packet, len);
    }

    byte[] packet() {
        return packet;
    }

    /** @return the SRTP context, or {@code null} for plain RTP */
    SrtpContext srtp() {
        return srtp;
    }
}
