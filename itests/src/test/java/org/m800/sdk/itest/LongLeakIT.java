package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.itest.api.Tracked;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Leaks over time (issue 17): many install/start/uninstall cycles of a feature bundle in one framework
 * with a live client, then threads, open file handles, bundles and heap are back to the baseline taken
 * after a warm-up. {@link LeakIT} checks services and listeners over 100 cycles; this one runs
 * {@code m800.itest.leakCycles} (200 in the default build, 1,000 with {@code -Pleak-long}) and also
 * looks at file descriptors and heap, which only a long run shows. Old bundle revisions are refreshed
 * away every 50 cycles, as a container does after an update.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LongLeakIT extends M800TestSupport {
    private static final int WARM_UP = 20;
    private static final int REFRESH_EVERY = 50;
    /** File descriptors the JVM may open meanwhile for its own reasons (class path jars read lazily). */
    private static final int FD_SLACK = 8;
    /** Heap growth allowed between a quarter of the run and its end: far below one bundle per cycle. */
    private static final long HEAP_SLACK_BYTES = 24L * 1024 * 1024;

    @Test
    public void manyCyclesOfAFeatureBundleLeaveNoThreadFileOrHeapBehind() throws Exception {
        int cycles = Integer.getInteger("m800.itest.leakCycles", 200);
        Client client = readyClient("long-leak");
        Events events = events(client);

        for (int i = 0; i < WARM_UP; i++) {
            cycle(events);
        }
        refresh();
        LeakBaseline before = LeakBaseline.threads();
        int bundlesBefore = bundleContext.getBundles().length;
        int liveBefore = Tracked.live();
        long fdsBefore = LeakBaseline.openFileDescriptors();

        long started = System.nanoTime();
        long heapAtQuarter = -1;
        for (int i = 1; i <= cycles; i++) {
            cycle(events);
            if (i % REFRESH_EVERY == 0) {
                refresh();
            }
            if (i == cycles / 4) {
                heapAtQuarter = usedHeapAfterGc();
            }
        }
        refresh();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        long heapAtEnd = usedHeapAfterGc();
        System.out.printf(Locale.ROOT, "LongLeakIT: %d cycles in %d s; heap after GC %d MiB at a quarter, %d MiB at"
                + " the end; file descriptors %d before, %d after%n", cycles, seconds, heapAtQuarter >> 20,
                heapAtEnd >> 20, fdsBefore, LeakBaseline.openFileDescriptors());

        assertEquals("every instance built was closed", liveBefore, Tracked.live());
        assertEquals("bundles", bundlesBefore, bundleContext.getBundles().length);
        before.assertNoNewThreads(cycles + " cycles", LongLeakIT::isSdkThread);
        if (fdsBefore >= 0) {
            waitUntil("open file descriptors back to " + fdsBefore + " (+" + FD_SLACK + ")",
                    () -> LeakBaseline.openFileDescriptors() <= fdsBefore + FD_SLACK, TIMEOUT_S);
        }
        assertTrue("heap grew by " + ((heapAtEnd - heapAtQuarter) >> 20) + " MiB over the last three quarters of "
                + cycles + " cycles", heapAtEnd - heapAtQuarter <= HEAP_SLACK_BYTES);
        assertTrue(client.isReady());
    }

    private void cycle(Events events) throws Exception {
        int mark = events.mark();
        Bundle alpha = bundleContext.installBundle(TestBundles.location(TestBundles.ALPHA));
        try {
            alpha.start();
            events.await(mark, ClientEvent.FEATURE_READY, "alpha", TIMEOUT_S);
        } finally {
            mark = events.mark();
            alpha.uninstall();
        }
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "alpha", TIMEOUT_S);
    }

    /** Refreshes the removal-pending bundle revisions away and waits until the framework has. */
    private void refresh() throws Exception {
        FrameworkWiring wiring = bundleContext.getBundle(0).adapt(FrameworkWiring.class);
        CompletableFuture<Void> done = new CompletableFuture<>();
        wiring.refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.complete(null);
            } else if (event.getType() == FrameworkEvent.ERROR) {
                done.completeExceptionally(event.getThrowable());
            }
        });
        done.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** @return the used heap after full collections (the smallest of three, to skip a late finaliser) */
    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            memory.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** The SDK's shared, bounded pools start threads lazily; LeakIT bounds them. */
    private static boolean isSdkThread(Thread t) {
        return t.getName().toLowerCase(Locale.ROOT).contains("m800");
    }
}
