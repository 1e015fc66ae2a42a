package org.m800.sdk.core;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates clients. In OSGi it is a service of the core bundle, and its clients follow the feature
 * bundles registered in the framework. Outside OSGi, {@link #standalone()} returns one whose clients
 * use the feature bundles that {@link ServiceLoader} finds on the class path.
 *
 * <p>All clients of one factory share its threads. Thread-safe.
 */
public interface ClientFactory {

    /**
     * Creates a client and builds its modules. Modules whose providers are present are built before
     * this returns, on the calling thread (on a plain class path that is every module found there, so
     * the client is usually ready at once); the others are built when their providers arrive. No
     * network wait happens here: logging in and connecting are the account's and the connection's.
     * Wait for readiness with {@link Client#ready()} or {@link ClientEvent#READY} (a listener added
     * after it fired is told at once).
     *
     * @param appMeta the application's metadata
     * @param config the client's configuration; its {@link ClientConfig#clientId()} must be unique among
     *        the open clients of this factory
     * @param overrides module definitions that replace modules by name, ranked above everything else
     * @throws M800Exception {@link ErrorCode#INVALID_ARGUMENT} for a null argument, a null override or
     *         a client id already in use
     */
    Client create(AppMeta appMeta, ClientConfig config, List<ModuleDefinition> overrides);

    /** {@link #create(AppMeta, ClientConfig, List)} without overrides. */
    default Client create(AppMeta appMeta, ClientConfig config) {
        return create(appMeta, config, List.of());
    }

    /** @return the clients of this factory that are open, in creation order */
    List<Client> clients();

    /**
     * A factory for use outside OSGi, a plain jar on the class path. Each call returns a new factory
     * with its own shared threads (daemons that end when idle). Its clients take the feature bundles
     * that {@link ServiceLoader} finds (through the thread context class loader at the time of this
     * call, else the core's), all ranked 0. {@link Client#addFeature(String)} fails there with {@link ErrorCode#ILLEGAL_STATE}; use
     * {@link Client#addFeature(FeatureBundle)}. Overrides in the configuration
     * ({@link ClientConfig#overrides()}) may name features; a filter needs the OSGi framework API on
     * the class path.
     *
     * @throws IllegalStateException if the core implementation is missing from the class path
     */
    static ClientFactory standalone() {
        for (ClientFactory factory : ServiceLoader.load(ClientFactory.class, ClientFactory.class.getClassLoader())) {
            return factory;
        }
        throw new IllegalStateException("no M800 ClientFactory implementation on the class path; add the core-bundle jar");
    }
}
