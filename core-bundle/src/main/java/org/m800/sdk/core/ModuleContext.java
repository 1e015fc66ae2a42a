package org.m800.sdk.core;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link ModuleFactory} gets to build its instance: the client's identity and configuration,
 * the instances of the module's dependencies, and the client's shared threads. Valid while the
 * module instance lives; thread-safe.
 */
public interface ModuleContext {

    /** @return the name of the module being built */
    String moduleName();

    /** @return the id of the client the module belongs to */
    String clientId();

    /** @return the client's application metadata */
    AppMeta appMeta();

    /** @return the client's configuration */
    ClientConfig config();

    /** @return the client's data directory ({@link ClientConfig#dataDirectoryFor(AppMeta)}); not created yet */
    Path dataDirectory();

    /** @return the dependency instances, in the order the module definition declares them */
    List<Object> dependencies();

    /**
     * @param index position in the declared dependency list
     * @return that dependency's instance
     * @throws IndexOutOfBoundsException if there is no such position
     */
    Object dependency(int index);

    /**
     * @param name a declared dependency
     * @param type the type the instance must have
     * @return the dependency's instance
     * @throws M800Exception {@link ErrorCode#INVALID_ARGUMENT} if the module did not declare that
     *         dependency or the instance is not of that type
     */
    <T> T dependency(String name, Class<T> type);

    /**
     * An executor that runs tasks one at a time, in submission order, on the SDK threads that
     * deliver this client's events. Modules publish their own events through it so that they reach
     * listeners in order with the client's. Never runs a task on the caller's thread.
     */
    Executor eventExecutor();

    /**
     * A scheduler shared by every client of this SDK instance, for timeouts and periodic work. Keep
     * tasks short; cancel what you schedule when your instance closes. Shutting it down is refused.
     */
    ScheduledExecutorService scheduler();

    /**
     * An executor for blocking disk work, such as forcing a file to the disk, shared by every client of
     * this SDK instance. Tasks run one at a time in submission order on a thread that is neither an
     * event thread nor the scheduler, so a slow disk delays no listener and no timer. Keep tasks to
     * disk work. Once the SDK instance stops it refuses tasks with
     * {@link java.util.concurrent.RejectedExecutionException}.
     *
     * @since 1.1
     */
    Executor diskExecutor();

    /** Publishes a failure that no caller is waiting for as an {@link ClientEvent#ERROR} event. */
    void reportError(M800Exception error);
}
