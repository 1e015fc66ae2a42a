package org.m800.sdk.core;

/**
 * Builds one module instance for one client.
 *
 * <p>Called once per client whenever the module's provider and dependencies are in place, with the
 * client's module graph locked, on the thread that put them in place: the framework thread that
 * registered a feature-bundle service (as Declarative Services activates components), or the thread
 * that called {@link ClientFactory#create}, {@link Client#addFeature} or {@link Client#removeFeature}.
 * So do not block and do not wait for the network: start connecting and return. Never call back into
 * the client from the factory. The instance may implement {@link AutoCloseable}; the client then
 * closes it when the module is torn down, after every module that depends on it, on the thread that
 * caused the teardown.
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
