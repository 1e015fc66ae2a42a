package org.m800.sdk.core.internal;

import java.util.List;

import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ModuleDefinition;

/**
 * The factory used outside OSGi, found by {@link ClientFactory#standalone()} through
 * {@link java.util.ServiceLoader}. Feature bundles come from the class path (the thread context class
 * loader at construction, else this bundle's loader).
 */
public final class StandaloneClientFactory implements ClientFactory {

    private final ClientRegistry registry = new ClientRegistry();
    private final ClientEnvironment env;

    /** Scans the class path for feature bundles and prepares the shared threads. */
    public StandaloneClientFactory() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : StandaloneClientFactory.class.getClassLoader();
        this.env = new ClientEnvironment(new SharedThreads(), new ClassPathFeatureSource(loader), null,
                id -> Readiness.NONE);
    }

    @Override
    public Client create(AppMeta appMeta, ClientConfig config, List<ModuleDefinition> overrides) {
        return registry.create(appMeta, config, overrides, env);
    }

    @Override
    public List<Client> clients() {
        return registry.clients();
    }
}
