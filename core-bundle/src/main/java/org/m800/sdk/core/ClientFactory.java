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
     * Creates a client and starts building its modules. The call does not wait: listen for
     * {@link ClientEvent#READY}.
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
     * with its own threads (daemons that end when idle). {@link Client#addFeature(String)} is not
     * available there.
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
