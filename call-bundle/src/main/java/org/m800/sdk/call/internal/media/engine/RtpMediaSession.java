package org.m800.sdk.call.internal.media.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaEngineOptions;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.MediaSessionListener;
import org.m800.sdk.call.internal.media.MediaStats;
import org.m800.sdk.call.internal.media.MediaTimes;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.internal.media.codec.Codecs;
import org.m800.sdk.call.internal.media.dtmf.TelephoneEvent;
import org.m800.sdk.call.internal.media.rtp.Rtcp;
import org.m800.sdk.call.internal.media.rtp.RtpHeader;
import org.m800.sdk.call.internal.media.srtp.SrtpContext;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leg of {@link UdpMediaEngine}: a UDP socket carrying SRTP and SRTCP multiplexed (RFC 5761), a
 * {@link SendPath} and a {@link ReceivePath}. Datagrams are accepted only from the negotiated remote
 * address, and RTP only from the first SSRC that authenticates with the peer's key (with plain RTP, which
 * only an application's explicit choice gives, from the first SSRC that comes from that address). The engine's threads
 * call {@link #receive} and {@link #tick}; the listener is called on them, never under the lock.
 */
final class RtpMediaSession implements MediaSession {

    private static final Logger LOG = LoggerFactory.getLogger(RtpMediaSession.class);
    /** How far a clock may fall behind (a starved or paused JVM) before it skips instead of catching up. */
    private static final long MAX_BEHIND_PERIODS = 5;

    private final UdpMediaEngine engine;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final MediaEngineOptions options;
    private final byte[] localMaster = SrtpContext.newMaster();
    private final Object lock = new Object();
    private final String cname;
    private final byte[] rtcpBuffer = new byte[1500];

    private volatile MediaSessionListener listener;

    // guarded by lock
    private NegotiatedMedia media;
    private AudioSource source;
    private AudioSink sink;
    private SendPath send;
    private ReceivePath receive;
    private boolean muted;
    private boolean closed;
    private boolean timedOut;
    private long lastReceivedNanos;
    private long nextRtcpNanos;
    private long lastSrMiddle;
    private long lastSrArrivalNanos;
    private double remoteFractionLost;
    private double roundTripMs = -1;
    /** the earlier of the two clocks, readable without the lock (the tick thread skips sessions not due) */
    private volatile long nextDue = Long.MAX_VALUE;
    /** when the next packet is due (the send clock) */
    private long sendDue;
    private final PlayoutClock playout = new PlayoutClock();
    private long startedNanos = -1;
    private long firstSentNanos = -1;
    private long firstReceivedNanos = -1;
    private long firstPlayedNanos = -1;

    RtpMediaSession(UdpMediaEngine engine, DatagramChannel channel, MediaEngineOptions options) throws IOException {
        this.engine = engine;
        this.channel = channel;
        this.options = options;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.cname = "m800-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    DatagramChannel channel() {
        return channel;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public List<AudioCodecSpec> supportedCodecs() {
        return Codecs.SUPPORTED;
    }

    @Override
    public byte[] localSrtpKey() {
        return localMaster.clone();
    }

    @Override
    public void start(NegotiatedMedia negotiated, AudioSource audioSource, AudioSink audioSink) {
        check(negotiated);
        if (audioSource == null || audioSink == null) {
            throw new IllegalArgumentException("a media session needs a source and a sink");
        }
        checkRate("source", audioSource.sampleRate());
        checkRate("sink", audioSink.sampleRate());
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the media session is closed");
            }
            if (media != null) {
                throw new IllegalStateException("the media session is already started; use update");
            }
            source = audioSource;
            sink = audioSink;
            send = new SendPath(localMaster);
            receive = new ReceivePath(options.minPlayoutMs(), options.maxPlayoutMs());
            apply(negotiated);
            long now = System.nanoTime();
            startedNanos = now;
            sendDue = now;
            playout.start(now);
            nextDue = now;
            lastReceivedNanos = now;
            nextRtcpNanos = now + rtcpDelayNanos();
        }
        engine.wake(); // the first packet leaves now, not at the engine's next step
    }

    @Override
    public void update(NegotiatedMedia negotiated) {
        check(negotiated);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the media session is closed");
            }
            if (media == null) {
                throw new IllegalStateException("the media session is not started");
            }
            apply(negotiated);
        }
    }

    private void apply(NegotiatedMedia negotiated) {
        media = negotiated;
        send.configure(negotiated.codec(), source.sampleRate(), negotiated.encrypted(), negotiated.sendPtimeMs());
        receive.configure(negotiated.remoteSrtpKey(), negotiated.codec(), sink.sampleRate());
    }

    private static void check(NegotiatedMedia negotiated) {
        if (negotiated == null) {
            throw new IllegalArgumentException("no negotiated media given");
        }
        if (negotiated.remote() == null || negotiated.remote().isUnresolved()) {
            throw new IllegalArgumentException("the remote media address is missing or unresolved: " + negotiated.remote());
        }
        Codecs.requireSupported(negotiated.codec());
        if (negotiated.direction() == null) {
            throw new IllegalArgumentException("no media direction given");
        }
        if (negotiated.remoteSrtpKey() != null && negotiated.remoteSrtpKey().length != SrtpContext.MASTER_LENGTH) {
            throw new IllegalArgumentException("the peer's SRTP master key and salt must be "
                    + SrtpContext.MASTER_LENGTH + " bytes");
        }
        int ptime = negotiated.sendPtimeMs();
        boolean g711 = negotiated.codec().name().equalsIgnoreCase("PCMU")
                || negotiated.codec().name().equalsIgnoreCase("PCMA");
        if (ptime != 20 && !(g711 && (ptime == 10 || ptime == 30 || ptime == 40 || ptime == 60))) {
            throw new IllegalArgumentException("packets of " + ptime + " ms cannot be sent with "
                    + negotiated.codec().name() + " (20 ms; G.711 also 10, 30, 40, 60 ms)");
        }
        int pt = negotiated.telephoneEventPayloadType();
        if (pt < -1 || pt > 127 || pt == negotiated.codec().payloadType()) {
            throw new IllegalArgumentException("bad telephone-event payload type " + pt);
        }
    }

    private static void checkRate(String what, int rate) {
        if (rate != 8000 && rate != 16000 && rate != 48000 && rate != 12000 && rate != 24000 && rate != 32000) {
            throw new IllegalArgumentException("the " + what + "'s sample rate " + rate
                    + " Hz is not one of 8000, 12000, 16000, 24000, 32000, 48000");
        }
    }

    @Override
    public void setMuted(boolean mute) {
        synchronized (lock) {
            muted = mute;
        }
    }

    @Override
    public void sendDtmf(char digit) {
        int code = TelephoneEvent.code(digit);
        if (code < 0) {
            throw new IllegalArgumentException("'" + digit + "' is not a DTMF key (0-9, *, #, A-D)");
        }
        synchronized (lock) {
            if (media == null || media.telephoneEventPayloadType() < 0) {
                throw new IllegalArgumentException("telephone-events were not agreed for this call");
            }
            send.queueDtmf(code);
        }
    }

    @Override
    public MediaStats stats() {
        synchronized (lock) {
            return statsLocked();
        }
    }

    private MediaStats statsLocked() {
        if (send == null) {
            return new MediaStats(0, 0, 0, 0, 0, -1);
        }
        var reception = receive.reception();
        return new MediaStats(send.packetsSent, reception.received(), remoteFractionLost,
                Math.max(0, reception.cumulativeLost()), reception.jitterMs(), roundTripMs, receive.rejected,
                receive.jitter().concealed(), receive.jitter().targetDelayMs());
    }

    @Override
    public float sendLevel() {
        synchronized (lock) {
            return send == null ? 0 : send.level;
        }
    }

    @Override
    public float receiveLevel() {
        synchronized (lock) {
            return receive == null ? 0 : receive.level;
        }
    }

    @Override
    public MediaTimes times() {
        synchronized (lock) {
            return new MediaTimes(startedNanos, firstSentNanos, firstReceivedNanos, firstPlayedNanos);
        }
    }

    @Override
    public void setListener(MediaSessionListener sessionListener) {
        this.listener = sessionListener;
    }

    @Override
    public void close() {
        AudioSource oldSource;
        AudioSink oldSink;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            nextDue = Long.MAX_VALUE;
            if (media != null && channel.isOpen()) {
                int len = Rtcp.write(rtcpBuffer, send.ssrc, null, null, cname, true);
                sendRtcpLocked(len);
            }
            oldSource = source;
            oldSink = sink;
            source = null;
            sink = null;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the media socket", e);
        }
        engine.closed(this);
        closeQuietly(oldSource);
        closeQuietly(oldSink);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing a media source or sink failed", e);
        }
    }

    /** The engine's receive thread: one datagram. */
    void receive(byte[] buf, int len, InetSocketAddress from, long nowNanos) {
        String keys = null;
        MediaStats report = null;
        boolean wake = false;
        synchronized (lock) {
            if (closed || media == null) {
                return;
            }
            boolean rtcp = RtpHeader.isRtcp(buf, len);
            if (!from.equals(media.remote()) && !(rtcp && isRtcpPortOfRemote(from))) {
                receive.rejected++;
                LOG.debug("datagram from {} dropped: the call's media comes from {}", from, media.remote());
                return;
            }
            if (rtcp) {
                report = rtcpLocked(buf, len, nowNanos);
            } else {
                keys = receive.rtp(buf, len, nowNanos, media.telephoneEventPayloadType());
                if (keys != null) {
                    if (firstReceivedNanos < 0) {
                        firstReceivedNanos = nowNanos;
                    }
                    lastReceivedNanos = nowNanos;
                    timedOut = false;
                    if (receive.jitter().readyToStart()) {
                        // an idle jitter buffer can start: its first frame is played now, not up to 20 ms later
                        wake = playout.startNow(nowNanos);
                    } else if (receive.nextTickPlaysOnlyTheLast()) {
                        wake = playout.arrived(nowNanos, receive.jitter().spreadMs());
                    }
                    long due = playout.due();
                    if (wake && (nextDue == Long.MAX_VALUE || due - nextDue < 0)) {
                        nextDue = due;
                    }
                }
            }
        }
        if (wake) {
            engine.wake();
        }
        MediaSessionListener l = listener;
        if (l == null) {
            return;
        }
        if (keys != null) {
            for (int i = 0; i < keys.length(); i++) {
                notify(l, keys.charAt(i));
            }
        }
        if (report != null) {
            try {
                l.statistics(report);
            } catch (RuntimeException e) {
                LOG.warn("media listener failed on statistics", e);
            }
        }
    }

    /**
     * A peer without rtcp-mux sends RTCP from the port after its RTP port (RFC 3550 11); it is accepted
     * from there too, and SRTCP authenticates it like any other.
     */
    private boolean isRtcpPortOfRemote(InetSocketAddress from) {
        InetSocketAddress remote = media.remote();
        return from.getPort() == remote.getPort() + 1 && from.getAddress().equals(remote.getAddress());
    }

    private static void notify(MediaSessionListener l, char key) {
        try {
            l.dtmfReceived(key);
        } catch (RuntimeException e) {
            LOG.warn("media listener failed on DTMF", e);
        }
    }

    private MediaStats rtcpLocked(byte[] buf, int len, long nowNanos) {
        int plain = len;
        try {
            if (receive.srtp() != null) {
                plain = receive.srtp().unprotectRtcp(buf, len);
            }
        } catch (org.m800.sdk.call.internal.media.srtp.SrtpException e) {
            receive.rejected++;
            LOG.debug("SRTCP packet of {} bytes dropped: {}", len, e.getMessage());
            return null;
        }
        Rtcp.Received received = Rtcp.read(buf, plain, send.ssrc);
        if (received == null) {
            receive.rejected++;
            LOG.debug("RTCP packet of {} bytes dropped: not a valid compound packet", plain);
            return null;
        }
        lastReceivedNanos = nowNanos;
        timedOut = false;
        if (received.sender() != null) {
            lastSrMiddle = Rtcp.middle32(received.sender().ntpTimestamp());
            lastSrArrivalNanos = nowNanos;
        }
        Rtcp.ReportBlock block = received.block();
        if (block != null) {
            remoteFractionLost = block.fractionLost() / 256.0;
            if (block.lastSr() != 0) {
                long arrival = Rtcp.middle32(Rtcp.ntp(System.currentTimeMillis()));
                long rtt = (arrival - block.lastSr() - block.delaySinceLastSr()) & 0xFFFFFFFFL;
                if (rtt < 0x80000000L) {
                    roundTripMs = rtt * 1000.0 / 65536.0;
                }
            }
        }
        return statsLocked();
    }

    /** @return when this session is next due, {@link Long#MAX_VALUE} before it starts (no lock taken) */
    long nextDue() {
        return nextDue;
    }

    /**
     * The engine's tick thread: what is due by {@code dueBy} of sending (one packet) and playout (one frame),
     * RTCP when due, the media timeout.
     *
     * @param dueBy a clock due up to this moment runs now: the tick thread serves every session due within a
     *              little slack in one wake-up, so that many calls do not each wake it
     * @return when this session is next due ({@link System#nanoTime()}), {@link Long#MAX_VALUE} if never
     */
    long tick(long nowNanos, long dueBy) {
        boolean timeout = false;
        MediaStats report = null;
        long next;
        synchronized (lock) {
            if (closed || media == null) {
                nextDue = Long.MAX_VALUE;
                return Long.MAX_VALUE;
            }
            if (dueBy - sendDue >= 0) {
                long period = send.ptimeMs() * 1_000_000L;
                long behind = Math.max(0, nowNanos - sendDue) / period;
                if (behind * period > MAX_BEHIND_PERIODS * PlayoutClock.PERIOD_NANOS) {
                    // the stream's clock jumps ahead instead of flooding the network with the backlog
                    for (long i = 0; i < behind; i++) {
                        send.skip();
                    }
                    sendDue += behind * period;
                }
                sendDue += period;
                sendStepLocked();
            }
            if (dueBy - playout.due() >= 0) {
                playout.advance(nowNanos);
                if (receive.play(sink, media.direction().receives()) && firstPlayedNanos < 0) {
                    firstPlayedNanos = System.nanoTime();
                }
            }
            if (nowNanos - nextRtcpNanos >= 0) {
                nextRtcpNanos = nowNanos + rtcpDelayNanos();
                sendReportLocked(nowNanos);
                report = statsLocked();
            }
            if (!timedOut && nowNanos - lastReceivedNanos > options.mediaTimeout().toNanos()) {
                timedOut = true;
                timeout = true;
            }
            next = sendDue - playout.due() < 0 ? sendDue : playout.due();
            nextDue = next;
        }
        MediaSessionListener l = listener;
        if (l != null) {
            try {
                if (report != null) {
                    l.statistics(report);
                }
                if (timeout) {
                    l.mediaTimeout();
                }
            } catch (RuntimeException e) {
                LOG.warn("media listener failed", e);
            }
        }
        return next;
    }

    private void sendStepLocked() {
        if (media.direction().sends()) {
            int len = send.next(source, muted, media.telephoneEventPayloadType());
            sendLocked(send.packet(), len);
            if (firstSentNanos < 0) {
                firstSentNanos = System.nanoTime();
            }
        } else {
            send.skip();
        }
    }

    private long rtcpDelayNanos() {
        long mean = options.rtcpInterval().toNanos();
        return (long) (mean * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    private void sendReportLocked(long nowNanos) {
        Rtcp.SenderInfo sender = null;
        if (media.direction().sends() && send.packetsSent > 0) {
            sender = new Rtcp.SenderInfo(Rtcp.ntp(System.currentTimeMillis()), send.timestamp(), send.packetsSent,
                    send.octetsSent);
        }
        Rtcp.ReportBlock block = null;
        var reception = receive.reception();
        if (receive.remoteSsrc() >= 0 && reception.started()) {
            long dlsr = lastSrMiddle == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
            block = new Rtcp.ReportBlock(receive.remoteSsrc(), reception.takeFractionLost(),
                    reception.cumulativeLost(), reception.extendedHighest() & 0xFFFFFFFFL, reception.jitterUnits(),
                    lastSrMiddle, dlsr);
        }
        int len = Rtcp.write(rtcpBuffer, send.ssrc, sender, block, cname, false);
        sendRtcpLocked(len);
    }

    private void sendRtcpLocked(int len) {
        int protectedLen = send.srtp() == null ? len : send.srtp().protectRtcp(rtcpBuffer, len);
        sendLocked(rtcpBuffer, protectedLen);
    }

    private void sendLocked(byte[] buf, int len) {
        try {
            channel.send(ByteBuffer.wrap(buf, 0, len), media.remote());
        } catch (IOException e) {
            // a full socket buffer or an unreachable peer: this packet is lost, as UDP may lose it anyway
            LOG.debug("sending media to {} failed", media.remote(), e);
        }
    }
}
