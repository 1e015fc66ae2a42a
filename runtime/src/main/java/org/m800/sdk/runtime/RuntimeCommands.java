package org.m800.sdk.runtime;

import java.lang.management.ManagementFactory;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Shell commands of the runtime itself, scope {@code runtime}, for scripts:
 * <ul>
 * <li>{@code runtime:waitfor "<ldap filter>" [timeoutSeconds]}: waits until a service matching the
 * filter is registered (such as {@code "(m800.client.id=demo)"}, a client created from an
 * {@code etc/} configuration, which happens asynchronously); fails the command on timeout;</li>
 * <li>{@code runtime:uptime}: the milliseconds since the JVM started, for cold-start measurements;</li>
 * <li>{@code exit} and {@code quit} (no other scope has them): stop the runtime, as the end of the
 * console's input does; in a {@code --script} they end the script.</li>
 * </ul>
 * Registered from the system bundle; Gogo calls the public methods reflectively, so no Gogo type is needed.
 */
public final class RuntimeCommands {

    /** The timeout of {@code waitfor} without one, in seconds. */
    static final int DEFAULT_TIMEOUT_SECONDS = 30;

    private final BundleContext context;

    private RuntimeCommands(BundleContext context) {
        this.context = context;
    }

    /** Registers the commands in the framework of {@code context}. */
    static ServiceRegistration<?> register(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "runtime");
        properties.put("osgi.command.function", new String[] {"waitfor", "uptime", "exit", "quit"});
        return context.registerService(Object.class.getName(), new RuntimeCommands(context), properties);
    }

    /** {@code runtime:waitfor <filter>} with the default timeout. */
    public String waitfor(String filter) throws Exception {
        return waitfor(filter, DEFAULT_TIMEOUT_SECONDS);
    }

    /**
     * {@code runtime:waitfor <filter> <timeoutSeconds>}.
     *
     * @return a line saying what was found and how long it took
     * @throws InvalidSyntaxException for a malformed filter
     * @throws TimeoutException if no matching service is registered within the timeout
     */
    public String waitfor(String filter, int timeoutSeconds) throws Exception {
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("timeoutSeconds must be positive, got " + timeoutSeconds);
        }
        Filter parsed = context.createFilter(filter);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, parsed, null);
        long begin = System.nanoTime();
        tracker.open(true);
        try {
            if (tracker.waitForService(TimeUnit.SECONDS.toMillis(timeoutSeconds)) == null) {
                throw new TimeoutException("no service matches " + filter + " after " + timeoutSeconds + " s");
            }
            return "service " + filter + " present (waited "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms)";
        } finally {
            tracker.close();
        }
    }

    /** {@code exit}: stops the framework (asynchronously: the console's own bundle stops with it). */
    public String exit() throws org.osgi.framework.BundleException {
        context.getBundle(org.osgi.framework.Constants.SYSTEM_BUNDLE_ID).stop();
        return "stopping the runtime";
    }

    /** {@code quit}: as {@link #exit()}. */
    public String quit() throws org.osgi.framework.BundleException {
        return exit();
    }

    /** @return whether a command line is {@code exit} or {@code quit} (with or without its scope) */
    static boolean isExit(String commandLine) {
        String c = commandLine.strip();
        return c.equals("exit") || c.equals("quit") || c.equals("runtime:exit") || c.equals("runtime:quit");
    }

    /** {@code runtime:uptime}: milliseconds since the JVM started. */
    public long uptime() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
