package org.m800.sdk.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A Gogo {@code CommandSession} used from outside the framework. The launcher's class loader does not
 * see the Gogo API (it lives in the gogo.runtime bundle only, so there is exactly one copy of it), so
 * the session is driven reflectively through the API interfaces loaded from the bundle that registered
 * the {@code CommandProcessor} service.
 */
final class GogoSession implements AutoCloseable {

    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    static final String SESSION = "org.apache.felix.service.command.CommandSession";
    /** {@code Converter.INSPECT}: how the console prints a command's result. */
    private static final int INSPECT = 0;

    private final BundleContext context;
    private final ServiceReference<?> reference;
    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;

    private GogoSession(BundleContext context, ServiceReference<?> reference, Object session, Class<?> sessionType)
            throws NoSuchMethodException {
        this.context = context;
        this.reference = reference;
        this.session = session;
        this.execute = sessionType.getMethod("execute", CharSequence.class);
        this.format = sessionType.getMethod("format", Object.class, int.class);
        this.close = sessionType.getMethod("close");
    }

    /**
     * Opens a session on the framework's command processor.
     *
     * @throws StartupException if there is no command processor or its API does not match
     */
    static GogoSession open(BundleContext context, InputStream in, OutputStream out, OutputStream err)
            throws StartupException {
        ServiceReference<?> reference = context.getServiceReference(PROCESSOR);
        if (reference == null) {
            throw new StartupException("no Gogo " + PROCESSOR + " service; is org.apache.felix.gogo.runtime active?");
        }
        try {
            Object processor = context.getService(reference);
            if (processor == null) {
                throw new StartupException("the Gogo command processor service went away");
            }
            Class<?> processorType = reference.getBundle().loadClass(PROCESSOR);
            Class<?> sessionType = reference.getBundle().loadClass(SESSION);
            Object session = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                    OutputStream.class).invoke(processor, in, out, err);
            return new GogoSession(context, reference, session, sessionType);
        } catch (ReflectiveOperationException | RuntimeException e) {
            context.ungetService(reference);
            throw new StartupException("cannot open a Gogo shell session: " + unwrap(e), unwrap(e));
        }
    }

    /**
     * Runs one command line.
     *
     * @return the command's result formatted as the console shows it, or {@code null} if it has none
     * @throws Exception what the command threw
     */
    String execute(String commandLine) throws Exception {
        Object result;
        try {
            result = execute.invoke(session, commandLine);
        } catch (InvocationTargetException e) {
            throw rethrowable(e.getCause());
        }
        if (result == null) {
            return null;
        }
        try {
            return String.valueOf(format.invoke(session, result, INSPECT));
        } catch (InvocationTargetException e) {
            return String.valueOf(result);
        }
    }

    @Override
    public void close() {
        try {
            close.invoke(session);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the framework may be stopping; the session goes with it
        } finally {
            try {
                context.ungetService(reference);
            } catch (IllegalStateException e) {
                // framework already stopped
            }
        }
    }

    private static Exception rethrowable(Throwable t) {
        if (t instanceof Exception e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new Exception(t);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
    }
}
