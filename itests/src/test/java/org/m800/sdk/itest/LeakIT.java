package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Locale;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.itest.api.Tracked;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** Uninstalling a bundle leaves no thread, instance, service or listener behind. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LeakIT extends M800TestSupport {

    private static final int CYCLES = 100;

    /** Threads of the SDK's shared, bounded pools may exist (they are created lazily); this many at most. */
    private static final int SDK_POOL_LIMIT = 16;

    @Test
    public void aHundredInstallUninstallCyclesLeaveNothingBehind() throws Exception {
        Client client = readyClient("leak-1");
        Events events = events(client);
        Bundle core = coreBundle();
        ServiceListenerCounter listeners = new ServiceListenerCounter(bundleContext, core);
        afterTest(listeners);

        cycle(events); // warm up: the shared pools exist from here on
        LeakBaseline before = LeakBaseline.of(bundleContext, core, listeners);
        int liveBefore = Tracked.live();
        int createdBefore = Tracked.created();

        for (int i = 0; i < CYCLES; i++) {
            cycle(events);
        }

        assertEquals("every instance built was closed", liveBefore, Tracked.live());
        assertEquals("one alpha.greeter per cycle", createdBefore + CYCLES, Tracked.created());
        before.assertBundleBack();
        // threads: none that was not there before, except the SDK's own bounded pools
        before.assertNoNewThreads(CYCLES + " cycles", LeakIT::isSdkThread);
        long sdkThreads = liveThreads().stream().filter(LeakIT::isSdkThread).count();
        assertTrue("the SDK's threads stay bounded: " + sdkThreads, sdkThreads <= SDK_POOL_LIMIT);
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

    /** The SDK names its shared pool threads after itself. */
    private static boolean isSdkThread(Thread t) {
        return t.getName().toLowerCase(Locale.ROOT).contains("m800");
    }
}
