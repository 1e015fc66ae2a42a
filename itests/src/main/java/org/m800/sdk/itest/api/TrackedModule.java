package org.m800.sdk.itest.api;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every module instance built by a test feature bundle is: it remembers who built it, for
 * which client, with which dependencies, and whether (and how often) it was closed, so tests can
 * assert disposal and dependency order from outside the bundle.
 */
public interface TrackedModule {

    /** @return the module's name */
    String moduleName();

    /** @return who provided the definition: the test bundle's tag, or "code" */
    String provider();

    /** @return the id of the client the instance belongs to */
    String clientId();

    /** @return the dependency instances the factory received, in the order it received them */
    List<Object> dependencies();

    /** @return the name of the thread the factory ran on */
    String builtOn();

    /** @return the name of the thread close() first ran on, or null */
    String closedOn();

    /** @return whether close() was called */
    boolean isClosed();

    /** @return how many times close() was called (more than once is a bug of the client) */
    int closeCount();

    /** Waits until close() was called, at most the given time. */
    boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException;
}
