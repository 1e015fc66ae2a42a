package org.m800.sdk.core.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.ModuleDefinition;

/** The {@link ModuleContext} given to one factory call. */
final class ModuleContextImpl implements ModuleContext {

    private final ClientImpl client;
    private final ModuleDefinition definition;
    private final List<Object> deps;

    ModuleContextImpl(ClientImpl client, ModuleDefinition definition, List<Object> deps) {
        this.client = client;
        this.definition = definition;
        this.deps = List.copyOf(deps);
    }

    @Override
    public String moduleName() {
        return definition.name();
    }

    @Override
    public String clientId() {
        return client.id();
    }

    @Override
    public AppMeta appMeta() {
        return client.appMeta();
    }

    @Override
    public ClientConfig config() {
        return client.config();
    }

    @Override
    public Path dataDirectory() {
        return client.config().dataDirectoryFor(client.appMeta());
    }

    @Override
    public List<Object> dependencies() {
        return deps;
    }

    @Override
    public Object dependency(int index) {
        return deps.get(index);
    }

    @Override
    public <T> T dependency(String name, Class<T> type) {
        int index = definition.deps().indexOf(name);
        if (index < 0) {
            throw M800Exception.invalidArgument("module " + definition.name() + " did not declare a dependency on "
                    + name + "; it declares " + definition.deps());
        }
        Object instance = deps.get(index);
        if (!type.isInstance(instance)) {
            throw M800Exception.invalidArgument("dependency " + name + " of module " + definition.name() + " is a "
                    + instance.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(instance);
    }

    @Override
    public Executor eventExecutor() {
        return client.eventExecutor();
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return client.scheduler();
    }

    @Override
    public Executor diskExecutor() {
        return client.diskExecutor();
    }

    @Override
    public void reportError(M800Exception error) {
        client.publish(ClientEvent.ERROR, error);
    }
}
