package org.m800.sdk.call;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.MediaSessionListener;
import org.m800.sdk.call.internal.media.MediaStats;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/**
 * The real media engine, whose legs a test can cut ({@link #cut()}): their sockets close as if the
 * network had gone, while the calls above them know nothing of it.
 */
final class CuttableEngine implements MediaEngine {
    private final MediaEngine real;
    private final List<MediaSession> legs = new CopyOnWriteArrayList<>();

    CuttableEngine() throws IOException {
        real = MediaEngine.create();
    }

    void cut() {
        legs.forEach(MediaSession::close);
    }

    @Override
    public MediaSession open(InetAddress bindAddress) throws IOException {
        MediaSession leg = real.open(bindAddress);
        legs.add(leg);
        return new MediaSession() {
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
            public void setListener(MediaSessionListener listener) {
                leg.setListener(listener);
            }

            @Override
            public void close() {
                leg.close();
            }
        };
    }

    @Override
    public void close() {
        real.close();
    }
}
