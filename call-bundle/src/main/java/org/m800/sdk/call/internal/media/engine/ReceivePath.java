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
 * DTMF events or the jitter buffer; and, each tick, jitter buffer → decoder or concealment → resampler →
 * sink. Guarded by the session's lock.
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
    private short[] codecFrame;
    private short[] sinkFrame;

    long rejected;
    /** RMS level of the last frame played, 0..1. */
    float level;

    ReceivePath(int minPlayoutMs, int maxPlayoutMs) {
        jitter = new JitterBuffer(minPlayoutMs, maxPlayoutMs);
    }

    /** Sets the peer's key (a new stream when it changes), the codec and the sink's rate. */
    void configure(byte[] master, AudioCodecSpec spec, int sinkRate) {
        boolean newKey = !Arrays.equals(master, remoteMaster);
        boolean newClock = codec == null || codec.clockRate() != spec.clockRate();
        if (newKey) {
            remoteMaster = master.clone();
            srtp = new SrtpContext(remoteMaster);
            remoteSsrc = -1;
            jitter.reset();
        }
        if (newKey || newClock) {
            reception = new ReceptionStats(spec.clockRate());
        }
        if (!spec.equals(codec) || sinkFrame == null || sinkFrame.length != sinkRate / 50) {
            codec = spec;
            decoder = Codecs.decoder(spec, sinkRate);
            resampler = new Resampler(decoder.sampleRate(), sinkRate);
            codecFrame = new short[decoder.sampleRate() / 50];
            sinkFrame = new short[sinkRate / 50];
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
        int plain;
        try {
            plain = srtp.unprotectRtp(buf, len);
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
            jitter.put(extended, arrivalMs, JitterBuffer.SILENCE);
            return dtmf.packet(RtpHeader.timestamp(buf), buf, header, payloadLength);
        }
        if (pt == codec.payloadType() && payloadLength > 0) {
            jitter.put(extended, arrivalMs, Arrays.copyOfRange(buf, header, header + payloadLength));
        }
        return "";
    }

    /**
     * Plays one frame into the sink (silence when {@code playing} is false).
     *
     * @return whether the frame was decoded from a received packet (not silence, not concealment)
     */
    boolean play(AudioSink sink, boolean playing) {
        boolean decoded = false;
        if (!playing) {
            Arrays.fill(sinkFrame, (short) 0);
        } else {
            byte[] next = jitter.poll();
            if (next == JitterBuffer.SILENCE) {
                Arrays.fill(codecFrame, (short) 0);
            } else if (next == JitterBuffer.LOST) {
                byte[] following = jitter.recoverFrom();
                if (following != null) {
                    decoder.recover(following, codecFrame);
                } else {
                    decoder.conceal(codecFrame);
                }
            } else {
                try {
                    decoder.decode(next, 0, next.length, codecFrame);
                    decoded = true;
                } catch (IllegalArgumentException e) {
                    LOG.debug("payload dropped: {}", e.getMessage());
                    rejected++;
                    decoder.conceal(codecFrame);
                }
            }
            resampler.process(codecFrame, sinkFrame);
        }
        level = Levels.rms(sinkFrame);
        if (sink != null) {
            sink.write(sinkFrame);
        }
        return decoded;
    }

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
