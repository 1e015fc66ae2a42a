package org.m800.sdk.core;

/**
 * Builds one module instance for one client.
 *
 * <p>Called once per client whenever the module's provider and dependencies are in place, on an
 * SDK thread, with the client's module graph locked: do not block, do not wait for the network
 * (start connecting and return), and do not wait for other clients. The instance may implement
 * {@link AutoCloseable}; the client then closes it when the module is torn down, after every module
 * that depends on it.
 */
@FunctionalInterface
public interface ModuleFactory {

    /**
     * @param context the client's context, with this module's dependencies in declared order
     * @return the module instance, never {@code null}
     * @throws Exception when the module cannot be built; the client reports it as
     *         {@link ErrorCode#MODULE_FAILED} and keeps its other modules
     */
    Object create(ModuleContext context) throws Exception;
}
