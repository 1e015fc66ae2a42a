package org.m800.sdk.core.internal;

import java.util.List;

import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ModuleDefinition;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link ClientFactory} service. Bundle-scoped: every bundle that uses it gets its own instance,
 * and the clients it created are closed when that bundle releases the service (stops or leaves),
 * so no client outlives the code that made it. All instances share the framework-wide threads and
 * list their clients in the one {@link org.m800.sdk.core.ClientDirectory}.
 */
@Component(service = ClientFactory.class, scope = ServiceScope.BUNDLE)
public final class OsgiClientFactory implements ClientFactory {

    private final ClientRegistry registry;
    private final ClientEnvironment env;

    /** Called by Declarative Services. */
    @Activate
    public OsgiClientFactory(BundleContext context, @Reference SdkThreadsComponent threads,
            @Reference ClientDirectoryComponent directory) {
        this.registry = new ClientRegistry(new ClientRegistry.Watcher() {
            @Override
            public void opened(Client client) {
                directory.opened(client);
            }

            @Override
            public void closed(Client client) {
                directory.closed(client);
            }
        });
        this.env = new ClientEnvironment(threads.threads(), new OsgiFeatureSource(context),
                new OsgiBundleInstaller(context), id -> new OsgiReadiness(context, id));
    }

    @Override
    public Client create(AppMeta appMeta, ClientConfig config, List<ModuleDefinition> overrides) {
        return registry.create(appMeta, config, overrides, env);
    }

    @Override
    public List<Client> clients() {
        return registry.clients();
    }

    @Deactivate
    private void deactivate() {
        registry.closeAll();
    }
}
