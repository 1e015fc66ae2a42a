package org.m800.sdk.call.internal.media.engine;

import java.util.Arrays;

import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.codec.AudioDecoder;
import org.m800.sdk.call.internal.media.codec.Codecs;
import org.m800.sdk.call.internal.media.codec.Resampler;
import org.m800.sdk.call.internal.media.dtmf.DtmfReceiver;
import org.m800.sdk.call.internal.media.jitter.JitterBuffer;
import org.m800.sdk.call.internal.media.rtp.ReceptionStats;
import org.m800.sdk.call.internal.media.rtp.RtpHeader;
import org.m800.sdk.call.internal.media.srtp.SrtpContext;
import org.m800.sdk.call.internal.media.srtp.SrtpException;
import org.m800.sdk.media.AudioSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of a session: SRTP check → the one SSRC of the peer → reception statistics →
 * DTMF events or the jitter buffer (packets of any duration the codec allows); and, each 20 ms tick, jitter
 * buffer → decoder or concealment, until 20 ms are decoded → resampler → sink. Guarded by the session's
 * lock.
 */
final class ReceivePath {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivePath.class);

    private SrtpContext srtp;
    private byte[] remoteMaster;
    private long remoteSsrc = -1;
    private ReceptionStats reception;
    private final JitterBuffer jitter;
    private final DtmfReceiver dtmf = new DtmfReceiver();

    private AudioCodecSpec codec;
    private AudioDecoder decoder;
    private Resampler resampler;
    /** 20 ms at the decoder's rate, what each tick takes from {@link #pcm} */
    private short[] codecFrame;
    private short[] sinkFrame;
    /** decoded audio not played yet, at the decoder's rate: {@code buffered} samples (a packet may be longer than a tick) */
    private short[] pcm;
    private int buffered;
    /** the last RTP timestamp of an audio packet and its extension past the 32-bit wrap, -1 before the first */
    private long lastTimestamp = -1;
    private long lastExtended;

    long rejected;
    /** RMS level of the last frame played, 0..1. */
    float level;

    ReceivePath(int minPlayoutMs, int maxPlayoutMs) {
        jitter = new JitterBuffer(minPlayoutMs, maxPlayoutMs);
    }

    /**
     * Sets the peer's key (a new stream when it changes; {@code null} for plain RTP), the codec and the sink's
     * rate.
     */
    void configure(byte[] master, AudioCodecSpec spec, int sinkRate) {
        boolean newKey = !Arrays.equals(master, remoteMaster) || reception == null;
        boolean newClock = codec == null || codec.clockRate() != spec.clockRate();
        if (newKey) {
            remoteMaster = master == null ? null : master.clone();
            srtp = master == null ? null : new SrtpContext(remoteMaster);
            remoteSsrc = -1;
            jitter.reset();
            lastTimestamp = -1;
            buffered = 0;
        }
        if (newKey || newClock) {
            reception = new ReceptionStats(spec.clockRate());
        }
        if (newClock) {
            jitter.clockRate(spec.clockRate());
            lastTimestamp = -1;
        }
        if (!spec.equals(codec) || sinkFrame == null || sinkFrame.length != sinkRate / 50) {
            codec = spec;
            decoder = Codecs.decoder(spec, sinkRate);
            resampler = new Resampler(decoder.sampleRate(), sinkRate);
            codecFrame = new short[decoder.sampleRate() / 50];
            sinkFrame = new short[sinkRate / 50];
            pcm = new short[codecFrame.length + AudioDecoder.MAX_PACKET_SAMPLES];
            buffered = 0;
        }
    }

    /**
     * Takes one SRTP packet.
     *
     * @return the DTMF keys it completed ("" for none), or {@code null} if it was rejected
     */
    String rtp(byte[] buf, int len, long nowNanos, int eventPayloadType) {
        if (len < RtpHeader.FIXED) {
            rejected++;
            return null;
        }
        long ssrc = RtpHeader.ssrc(buf);
        if (remoteSsrc >= 0 && ssrc != remoteSsrc) {
            rejected++;
            LOG.debug("RTP from SSRC {} dropped: the call's is {}", ssrc, remoteSsrc);
            return null;
        }
        int plain = len;
        try {
            if (srtp != null) {
                plain = srtp.unprotectRtp(buf, len);
            }
        } catch (SrtpException e) {
            rejected++;
            LOG.debug("SRTP packet of {} bytes dropped: {}", len, e.getMessage());
            return null;
        }
        remoteSsrc = ssrc;
        int header = RtpHeader.length(buf, plain);
        int payloadLength = RtpHeader.payloadLength(buf, header, plain);
        if (payloadLength < 0) {
            rejected++;
            return null;
        }
        long extended = reception.packet(RtpHeader.sequence(buf), RtpHeader.timestamp(buf), nowNanos);
        int pt = RtpHeader.payloadType(buf);
        long arrivalMs = nowNanos / 1_000_000;
        if (pt == eventPayloadType) {
            jitter.put(extended, -1, arrivalMs, JitterBuffer.SILENCE, 0);
            return dtmf.packet(RtpHeader.timestamp(buf), buf, header, payloadLength);
        }
        if (pt == codec.payloadType() && payloadLength > 0) {
            int samples;
            try {
                samples = decoder.samples(buf, header, payloadLength);
            } catch (IllegalArgumentException e) {
                // authenticated but not audio of the agreed codec: its place in the stream is concealed
                rejected++;
                LOG.debug("payload dropped: {}", e.getMessage());
                return "";
            }
            jitter.put(extended, extendTimestamp(RtpHeader.timestamp(buf)), arrivalMs,
                    Arrays.copyOfRange(buf, header, header + payloadLength), samples);
        }
        return "";
    }

    /** The timestamp as a number that goes on past 2^32 (a reordered packet's may be lower than the last). */
    private long extendTimestamp(long timestamp) {
        if (lastTimestamp < 0) {
            lastTimestamp = timestamp;
            lastExtended = timestamp;
            return timestamp;
        }
        int delta = (int) (timestamp - lastTimestamp);
        long extended = lastExtended + delta;
        if (delta > 0) {
            lastTimestamp = timestamp;
            lastExtended = extended;
        }
        return extended;
    }

    /**
     * Plays one 20 ms frame into the sink (silence when {@code playing} is false): takes from the jitter buffer,
     * decodes or conceals, until 20 ms are decoded (a packet longer than that leaves the rest for the next
     * ticks), then resamples to the sink's rate.
     *
     * @return whether a packet received was decoded for this frame (not silence, not only concealment)
     */
    boolean play(AudioSink sink, boolean playing) {
        boolean decoded = false;
        if (!playing) {
            Arrays.fill(sinkFrame, (short) 0);
        } else {
            int frame = codecFrame.length;
            while (buffered < frame) {
                decoded |= fill(frame - buffered);
            }
            System.arraycopy(pcm, 0, codecFrame, 0, frame);
            buffered -= frame;
            System.arraycopy(pcm, frame, pcm, 0, buffered);
            resampler.process(codecFrame, sinkFrame);
        }
        level = Levels.rms(sinkFrame);
        if (sink != null) {
            sink.write(sinkFrame);
        }
        return decoded;
    }

    /** Appends the jitter buffer's next stretch to {@link #pcm}: decoded, concealed or silent. */
    private boolean fill(int wanted) {
        byte[] next = jitter.poll(wanted);
        int samples = Math.min(jitter.duration(), pcm.length - buffered);
        if (next == JitterBuffer.SILENCE) {
            Arrays.fill(pcm, buffered, buffered + samples, (short) 0);
        } else if (next == JitterBuffer.LOST) {
            byte[] following = jitter.recoverFrom();
            if (following != null) {
                decoder.recover(following, pcm, buffered, samples);
            } else {
                decoder.conceal(pcm, buffered, samples);
            }
        } else {
            try {
                buffered += decoder.decode(next, 0, next.length, pcm, buffered);
                return true;
            } catch (IllegalArgumentException e) {
                LOG.debug("payload dropped: {}", e.getMessage());
                rejected++;
                decoder.conceal(pcm, buffered, samples);
            }
        }
        buffered += samples;
        return false;
    }

    /** @return whether the next tick plays the packet just received, and only it: how long it waits is the clock's phase */
    boolean nextTickPlaysOnlyTheLast() {
        return buffered == 0 && jitter.onlyNext() >= codecFrame.length;
    }

    /** @return the peer's SRTP context, or {@code null} for plain RTP */
    SrtpContext srtp() {
        return srtp;
    }

    long remoteSsrc() {
        return remoteSsrc;
    }

    ReceptionStats reception() {
        return reception;
    }

    JitterBuffer jitter() {
        return jitter;
    }
}
