package org.m800.sdk.call;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;

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
        return new ForwardingSession(leg);
    }

    @Override
    public void close() {
        real.close();
    }
}
