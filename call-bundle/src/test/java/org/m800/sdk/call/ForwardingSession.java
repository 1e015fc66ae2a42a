package org.m800.sdk.call;

import java.net.InetSocketAddress;
import java.util.List;

import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.MediaSessionListener;
import org.m800.sdk.call.internal.media.MediaStats;
import org.m800.sdk.call.internal.media.MediaTimes;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/** A real media leg seen through a test's engine: everything goes to the leg; a test overrides what it bends. */
class ForwardingSession implements MediaSession {
    protected final MediaSession leg;

    ForwardingSession(MediaSession leg) {
        this.leg = leg;
    }

    @Override
    public InetSocketAddress localAddress() {
        return leg.localAddress();
    }

    @Override
    public List<AudioCodecSpec> supportedCodecs() {
        return leg.supportedCodecs();
    }

    @Override
    public byte[] localSrtpKey() {
        return leg.localSrtpKey();
    }

    @Override
    public void start(NegotiatedMedia media, AudioSource source, AudioSink sink) {
        leg.start(media, source, sink);
    }

    @Override
    public void update(NegotiatedMedia media) {
        leg.update(media);
    }

    @Override
    public void setMuted(boolean muted) {
        leg.setMuted(muted);
    }

    @Override
    public void sendDtmf(char digit) {
        leg.sendDtmf(digit);
    }

    @Override
    public MediaStats stats() {
        return leg.stats();
    }

    @Override
    public float sendLevel() {
        return leg.sendLevel();
    }

    @Override
    public float receiveLevel() {
        return leg.receiveLevel();
    }

    @Override
    public MediaTimes times() {
        return leg.times();
    }

    @Override
    public void setListener(MediaSessionListener listener) {
        leg.setListener(listener);
    }

    @Override
    public void close() {
        leg.close();
    }
}
