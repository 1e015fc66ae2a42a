package org.m800.sdk.call;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.m800.sdk.call.internal.media.MediaEngine;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.engine.UdpMediaEngine;

/**
 * The real media engine, whose next {@link #open} a test can hold ({@link #holdNextOpen()}): the thread that
 * opens a leg waits inside it, as a slow machine makes it wait, until the test lets it go. The same for the
 * next close of a leg ({@link #holdNextClose()}). The test sees how many legs are open with
 * {@link #sessionCount()}.
 */
final class GatedEngine implements MediaEngine {
    private final UdpMediaEngine real;
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;
    private volatile Gate closeGate;

    GatedEngine() throws IOException {
        real = new UdpMediaEngine(null);
    }

    /** The next open waits until {@link #letGo()}; {@link #awaitHeld()} returns once it waits. */
    void holdNextOpen() {
        release = new CountDownLatch(1);
        entered = new CountDownLatch(1);
    }

    void awaitHeld() throws InterruptedException {
        if (!entered.await(CallFixture.SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no leg was opened");
        }
    }

    void letGo() {
        release.countDown();
    }

    /** The next close of a leg waits until {@link #letCloseGo()}; {@link #awaitCloseHeld()} returns once it waits. */
    void holdNextClose() {
        closeGate = new Gate();
    }

    void awaitCloseHeld() throws InterruptedException {
        if (!closeGate.entered.await(CallFixture.SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no leg was closed");
        }
    }

    void letCloseGo() {
        Gate g = closeGate;
        if (g != null) {
            g.release.countDown();
        }
    }

    int sessionCount() {
        return real.sessionCount();
    }

    @Override
    public MediaSession open(InetAddress bindAddress) throws IOException {
        CountDownLatch in = entered;
        CountDownLatch out = release;
        if (in != null && in.getCount() > 0) {
            in.countDown();
            try {
                if (!out.await(CallFixture.SECONDS, TimeUnit.SECONDS)) {
                    throw new IOException("the test never let the held open go");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held", e);
            }
        }
        return new GatedSession(real.open(bindAddress));
    }

    @Override
    public void close() {
        real.close();
    }

    private static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        /** @return whether this call took the gate (only the first does) and waited at it */
        boolean pass() {
            synchronized (this) {
                if (entered.getCount() == 0) {
                    return false;
                }
                entered.countDown();
            }
            try {
                if (!release.await(CallFixture.SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the held close go");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
    }

    /** The real leg; only its close can be held. */
    private final class GatedSession extends ForwardingSession {
        GatedSession(MediaSession leg) {
            super(leg);
        }

        @Override
        public void close() {
            Gate g = closeGate;
            if (g != null) {
                g.pass();
            }
            leg.close();
        }
    }
}
