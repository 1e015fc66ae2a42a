package org.m800.sdk.itest.api;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.m800.sdk.core.ModuleContext;

/**
 * A module instance that records its creation and its close(). The live counters are static in
 * the test API bundle, which stays installed while feature bundles come and go, so tests can see
 * that every instance a bundle created was closed when it left.
 */
public class Tracked implements TrackedModule, AutoCloseable {

    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicInteger CREATED = new AtomicInteger();

    private final String moduleName;
    private final String provider;
    private final String clientId;
    private final List<Object> dependencies;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger closeCount = new AtomicInteger();
    private final String builtOn = Thread.currentThread().getName();
    private volatile String closedOn;

    public Tracked(String provider, ModuleContext context) {
        this.provider = Objects.requireNonNull(provider);
        this.moduleName = context.moduleName();
        this.clientId = context.clientId();
        this.dependencies = List.copyOf(context.dependencies());
        LIVE.incrementAndGet();
        CREATED.incrementAndGet();
    }

    /** @return instances created and not yet closed, across every test bundle and client */
    public static int live() {
        return LIVE.get();
    }

    /** @return instances created since the test API bundle started */
    public static int created() {
        return CREATED.get();
    }

    @Override
    public String moduleName() {
        return moduleName;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public List<Object> dependencies() {
        return dependencies;
    }

    @Override
    public String builtOn() {
        return builtOn;
    }

    @Override
    public String closedOn() {
        return closedOn;
    }

    @Override
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    @Override
    public int closeCount() {
        return closeCount.get();
    }

    @Override
    public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
        return closed.await(timeout, unit);
    }

    @Override
    public void close() {
        if (closeCount.incrementAndGet() == 1) {
            closedOn = Thread.currentThread().getName();
            LIVE.decrementAndGet();
            closed.countDown();
        }
    }

    @Override
    public String toString() {
        return "Tracked[" + moduleName + " by " + provider + " for " + clientId + (isClosed() ? ", closed" : "") + "]";
    }
}
