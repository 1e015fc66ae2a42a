package org.m800.sdk.call;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.testing.ImpairingUdpProxy;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;

/**
 * The real media engine with an {@link ImpairingUdpProxy} between each leg and the server's relay: when a leg
 * starts, a proxy is put between its socket and the relay port the answer names, and the leg sends to the
 * proxy instead (the relay latches to the proxy, as it would to a NAT). {@link #impair} changes the network of
 * every leg's proxy. Closing a leg closes its proxy.
 */
final class ImpairedEngine implements MediaEngine {
    private final MediaEngine real;
    private final List<ImpairingUdpProxy> proxies = new CopyOnWriteArrayList<>();
    private volatile double loss;
    private volatile int jitterMs;
    private volatile int delayMs;

    ImpairedEngine() throws IOException {
        real = MediaEngine.create();
    }

    /** The impairment of every leg's network, both ways, from now on (see {@link ImpairingUdpProxy#impair}). */
    void impair(double newLoss, int newJitterMs, int newDelayMs) {
        loss = newLoss;
        jitterMs = newJitterMs;
        delayMs = newDelayMs;
        proxies.forEach(p -> p.impair(newLoss, newJitterMs, newDelayMs));
    }

    @Override
    public MediaSession open(InetAddress bindAddress) throws IOException {
        MediaSession leg = real.open(bindAddress);
        return new ForwardingSession(leg) {
            private ImpairingUdpProxy proxy;
            private InetSocketAddress relay;

            private synchronized NegotiatedMedia throughProxy(NegotiatedMedia media) {
                if (proxy == null || !media.remote().equals(relay)) {
                    if (proxy != null) {
                        proxies.remove(proxy);
                        proxy.close();
                    }
                    try {
                        proxy = new ImpairingUdpProxy(leg.localAddress(), media.remote(), 0, 0, 7);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    proxy.impair(loss, jitterMs, delayMs);
                    proxies.add(proxy);
                    relay = media.remote();
                }
                return new NegotiatedMedia(proxy.addressForA(), media.codec(), media.telephoneEventPayloadType(),
                        media.direction(), media.remoteSrtpKey());
            }

            @Override
            public void start(NegotiatedMedia media, AudioSource source, AudioSink sink) {
                leg.start(throughProxy(media), source, sink);
            }

            @Override
            public void update(NegotiatedMedia media) {
                leg.update(throughProxy(media));
            }

            @Override
            public void close() {
                leg.close();
                synchronized (this) {
                    if (proxy != null) {
                        proxies.remove(proxy);
                        proxy.close();
                        proxy = null;
                    }
                }
            }
        };
    }

    @Override
    public void close() {
        real.close();
        proxies.forEach(ImpairingUdpProxy::close);
    }
}
