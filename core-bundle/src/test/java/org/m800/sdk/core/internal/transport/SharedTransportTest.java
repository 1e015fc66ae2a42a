package org.m800.sdk.core.internal.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.After;
import org.junit.Test;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** Lazy and counted: no Jetty before the first use, none after the last lease; nothing after close. */
public class SharedTransportTest {

    private final SharedTransport transport = new SharedTransport(null, null);

    @After
    public void closeTransport() throws InterruptedException {
        transport.close();
        awaitNoIoThread();
    }

    @Test
    public void aLeaseStartsNothingUntilItsFirstUse() {
        try (SharedTransport.Lease lease = transport.acquire()) {
            assertFalse(transport.running());
            assertEquals(0, ioThreads());
            HttpClient http = lease.http();
            assertTrue(transport.running());
            assertTrue(http.isStarted());
            assertTrue(lease.webSocket().isStarted());
            assertSame(http, lease.http());
        }
        assertFalse(transport.running());
    }

    @Test
    public void theLeasesShareOneStartAndTheLastOneStopsIt() throws InterruptedException {
        SharedTransport.Lease first = transport.acquire();
        SharedTransport.Lease second = transport.acquire();
        HttpClient http = first.http();
        assertSame(http, second.http());
        first.close();
        first.close(); // released once: the second lease still holds the clients
        assertTrue(transport.running());
        assertTrue(http.isStarted());
        second.close();
        assertFalse(transport.running());
        assertTrue(http.isStopped());
        awaitNoIoThread();
    }

    @Test
    public void aLeaseClosedBeforeItsFirstUseStartsNothing() {
        transport.acquire().close();
        assertFalse(transport.running());
        try (SharedTransport.Lease later = transport.acquire()) {
            assertTrue(later.http().isStarted());
        }
        assertFalse(transport.running());
    }

    @Test
    public void aClosedLeaseOrTransportStartsNoJettyAgain() {
        SharedTransport.Lease closedLease = transport.acquire();
        closedLease.close();
        assertIllegalState(closedLease);
        SharedTransport.Lease open = transport.acquire();
        open.http();
        transport.close(); // the bundle stops under an open client
        assertFalse(transport.running());
        assertIllegalState(open);
        assertFalse(transport.running());
        open.close();
    }

    private static void assertIllegalState(SharedTransport.Lease lease) {
        try {
            lease.webSocket();
            fail("a closed lease or transport handed out a client");
        } catch (M800Exception expected) {
            assertEquals(ErrorCode.ILLEGAL_STATE, expected.code());
        }
    }

    private static long ioThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("m800-io")).count();
    }

    /** Joins every Jetty thread of the transport (each within what is left of 10 s). */
    private static void awaitNoIoThread() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("m800-io")) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }
        if (ioThreads() > 0) {
            fail("Jetty threads still alive after the transport stopped: " + ioThreads());
        }
    }
}
