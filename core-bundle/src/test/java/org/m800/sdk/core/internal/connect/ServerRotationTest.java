package org.m800.sdk.core.internal.connect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.Test;

public class ServerRotationTest {

    private static final URI A = URI.create("ws://127.0.0.1:1/a");
    private static final URI B = URI.create("ws://127.0.0.1:2/b");

    private final ServerRotation rotation = new ServerRotation(List.of(A, B), Duration.ofMillis(100),
            Duration.ofMillis(1000));

    @Test
    public void aFailedServerIsFollowedAtOnceByTheNextAndAFailedRoundByABackOffThatGrows() {
        assertEquals(A, rotation.current());
        assertEquals(ServerRotation.NOW, rotation.failed());
        assertEquals(B, rotation.current());
        long first = rotation.failed();
        assertTrue("first round waits 50..100 ms, was " + first, first >= 50 && first <= 100);
        assertEquals(A, rotation.current());
        assertEquals(ServerRotation.NOW, rotation.failed());
        long second = rotation.failed();
        assertTrue("second round waits 100..200 ms, was " + second, second >= 100 && second <= 200);
    }

    @Test
    public void theBackOffStopsGrowingAtItsMaximum() {
        long last = 0;
        for (int i = 0; i < 40; i++) {
            long delay = rotation.failed();
            if (delay != ServerRotation.NOW) {
                last = delay;
            }
        }
        assertTrue("capped at 500..1000 ms, was " + last, last >= 500 && last <= 1000);
    }

    @Test
    public void aRunOfFailuresIsReportedOnceUntilAConnectionOrARestart() {
        assertTrue(rotation.reportOnce());
        assertFalse(rotation.reportOnce());
        rotation.connected();
        assertTrue(rotation.reportOnce());
        rotation.restart();
        assertTrue(rotation.reportOnce());
    }

    @Test
    public void aLostConnectionStartsTheCountAfreshOnTheSameServer() {
        assertEquals(ServerRotation.NOW, rotation.failed());
        rotation.lost();
        assertEquals(B, rotation.current());
        assertEquals(ServerRotation.NOW, rotation.failed());
        assertEquals(A, rotation.current());
    }

    @Test
    public void aRestartBeginsAgainWithTheFirstServer() {
        rotation.failed();
        rotation.restart();
        assertEquals(A, rotation.current());
    }

    @Test
    public void noServersMeansNothingToTry() {
        assertTrue(new ServerRotation(List.of(), Duration.ofMillis(1), Duration.ofMillis(2)).isEmpty());
        assertFalse(rotation.isEmpty());
    }
}
