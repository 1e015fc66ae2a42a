package org.m800.sdk.itest;

import org.junit.runner.Description;
import org.junit.runner.Runner;
import org.junit.runner.manipulation.Filter;
import org.junit.runner.manipulation.Filterable;
import org.junit.runner.manipulation.NoTestsRemainException;
import org.junit.runner.manipulation.Sortable;
import org.junit.runner.manipulation.Sorter;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.model.InitializationError;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * {@link PaxExam} with the real reference server of the test class running in the outer JVM for the
 * whole class: started before Pax Exam calls the {@code @Configuration} method (which passes the
 * server's URIs into the framework), closed after the last test of the class.
 *
 * <p>Why a runner: with Pax Exam's native container, {@code @BeforeClass}, {@code @AfterClass} and
 * class rules run inside the framework around every test method, and nothing of the class runs in the
 * outer JVM after its last test; this runner is the one place that does. Inside the framework Pax
 * Exam runs each test method with its own runner and never instantiates this one.
 */
public final class ReferenceServerRunner extends Runner implements Filterable, Sortable {

    private final OuterServer server;
    private final PaxExam delegate;

    public ReferenceServerRunner(Class<?> testClass) throws InitializationError {
        try {
            server = OuterServer.start(testClass.getSimpleName());
        } catch (Exception e) {
            throw new InitializationError(e);
        }
        try {
            delegate = new PaxExam(testClass);
        } catch (InitializationError | RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    @Override
    public Description getDescription() {
        return delegate.getDescription();
    }

    @Override
    public void run(RunNotifier notifier) {
        try {
            delegate.run(notifier);
        } finally {
            try {
                server.close();
            } catch (RuntimeException e) {
                notifier.fireTestFailure(new Failure(getDescription(), e));
            }
        }
    }

    @Override
    public void filter(Filter filter) throws NoTestsRemainException {
        delegate.filter(filter);
    }

    @Override
    public void sort(Sorter sorter) {
        delegate.sort(sorter);
    }
}
