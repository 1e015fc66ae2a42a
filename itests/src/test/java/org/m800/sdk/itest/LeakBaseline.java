package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.condition.Condition;

/**
 * What the leak tests (LeakIT, LongLeakIT, ConnectionLeakIT) compare before and after their cycles: the
 * live threads, and optionally a bundle's registered and used services, its service listeners and the
 * Condition services; plus the process's open file descriptors and sockets ({@code /proc/self/fd}).
 * Take it after a warm-up, so that what starts lazily is in the baseline. The checks wait (at most
 * {@link M800TestSupport#TIMEOUT_S}) for what ends asynchronously, and their failures name what is left.
 */
final class LeakBaseline {
    private static final Path FDS = Path.of("/proc/self/fd");

    private final Set<Thread> threads;
    private final BundleContext context;
    private final Bundle bundle;
    private final ServiceListenerCounter listeners;
    private final int services;
    private final int inUse;
    private final int listenerCount;
    private final int conditions;

    private LeakBaseline(BundleContext context, Bundle bundle, ServiceListenerCounter listeners) {
        this.threads = M800TestSupport.liveThreads();
        this.context = context;
        this.bundle = bundle;
        this.listeners = listeners;
        this.services = bundle == null ? 0 : M800TestSupport.count(bundle.getRegisteredServices());
        this.inUse = bundle == null ? 0 : M800TestSupport.count(bundle.getServicesInUse());
        this.listenerCount = listeners == null ? 0 : listeners.count();
        this.conditions = context == null ? 0 : conditions(context);
    }

    /** @return the live threads now */
    static LeakBaseline threads() {
        return new LeakBaseline(null, null, null);
    }

    /** @return the live threads now, and the bundle's services and listeners (counted by {@code listeners}) */
    static LeakBaseline of(BundleContext context, Bundle bundle, ServiceListenerCounter listeners) {
        return new LeakBaseline(context, bundle, listeners);
    }

    /**
     * Waits until every thread started since the baseline has ended, except those {@code mayStay}
     * accepts and the tests' own ({@code itest-*}).
     *
     * @param by names what started them, for the failure
     */
    void assertNoNewThreads(String by, Predicate<Thread> mayStay) throws Exception {
        List<String> left = new ArrayList<>();
        try {
            M800TestSupport.waitUntil("threads started by " + by + " end", () -> {
                List<String> now = newThreads(mayStay);
                synchronized (left) {
                    left.clear();
                    left.addAll(now);
                }
                return now.isEmpty();
            }, M800TestSupport.TIMEOUT_S);
        } catch (AssertionError e) {
            synchronized (left) {
                // also printed: a failure that crosses the test container may keep only the cause's message
                System.out.println("threads left behind by " + by + ": " + left);
                throw new AssertionError("threads left behind by " + by + ": " + left, e);
            }
        }
    }

    private List<String> newThreads(Predicate<Thread> mayStay) {
        return M800TestSupport.liveThreads().stream().filter(t -> !threads.contains(t)).filter(mayStay.negate())
                .filter(t -> !t.getName().startsWith("itest-"))
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : "")).sorted().collect(Collectors.toList());
    }

    /**
     * The bundle's registered services settle back to the baseline (services leave asynchronously), then
     * its services in use, its service listeners and the Condition services are as they were.
     */
    void assertBundleBack() throws Exception {
        if (bundle == null) {
            throw new IllegalStateException("a baseline of threads only: take it with LeakBaseline.of(...)");
        }
        String name = bundle.getSymbolicName();
        settles("services registered by " + name, services, () -> M800TestSupport.count(bundle.getRegisteredServices()));
        assertEquals("services " + name + " uses", inUse, M800TestSupport.count(bundle.getServicesInUse()));
        assertEquals("service listeners of " + name, listenerCount, listeners.count());
        assertEquals("condition services", conditions, conditions(context));
    }

    /** Waits until the value is back to {@code expected}; the failure names the last value seen. */
    static void settles(String what, int expected, IntSupplier value) throws Exception {
        int[] last = new int[1];
        try {
            M800TestSupport.waitUntil(what + " back to " + expected, () -> (last[0] = value.getAsInt()) == expected,
                    M800TestSupport.TIMEOUT_S);
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + last[0] + ", " + expected + " in the baseline", e);
        }
    }

    /** @return the file descriptors this process holds open (Linux), or -1 where /proc is not there */
    static long openFileDescriptors() {
        if (!Files.isDirectory(FDS)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(FDS)) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** @return the sockets this process holds open (Linux; both ends of a loopback connection count) */
    static int openSockets() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + FDS + " (the leak tests need Linux): " + e, e);
        }
    }

    private static int conditions(BundleContext context) {
        try {
            return context.getServiceReferences(Condition.class, null).size();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
