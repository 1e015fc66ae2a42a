package org.m800.server.internal.files;

import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** The floor of a transfer's rate, on a clock the test moves. */
public class TransferRateTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final TransferRate rate = new TransferRate(now::get);

    @Test
    public void aSlowStartIsFineDuringTheGracePeriod() throws IOException {
        now.addAndGet(TransferRate.GRACE_NANOS);
        rate.check(0);
    }

    @Test
    public void aTrickleIsEndedAfterTheGracePeriod() {
        now.addAndGet(TransferRate.GRACE_NANOS + TimeUnit.SECONDS.toNanos(1));
        assertThrows(IOException.class, () -> rate.check(1_000));
    }

    @Test
    public void anyRealRateIsFine() throws IOException {
        now.addAndGet(TimeUnit.MINUTES.toNanos(10));
        rate.check(TransferRate.MIN_BYTES_PER_SECOND * 600);
    }
}
