package org.m800.sdk.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleDefinition;

/** The open clients of one factory, by id; creates them in a given environment. */
final class ClientRegistry {

    /** Hears of each client of the registry once it is started and once it is closed. */
    interface Watcher {
        Watcher NONE = new Watcher() {
            @Override
            public void opened(Client client) {
            }

            @Override
            public void closed(Client client) {
            }
        };

        void opened(Client client);

        void closed(Client client);
    }

    private final Map<String, ClientImpl> clients = new LinkedHashMap<>();
    private final Watcher watcher;
    private boolean closed;

    ClientRegistry() {
        this(Watcher.NONE);
    }

    ClientRegistry(Watcher watcher) {
        this.watcher = watcher;
    }

    Client create(AppMeta appMeta, ClientConfig config, List<ModuleDefinition> overrides, ClientEnvironment env) {
        if (appMeta == null) {
            throw M800Exception.invalidArgument("appMeta must not be null");
        }
        if (config == null) {
            throw M800Exception.invalidArgument("config must not be null");
        }
        if (overrides == null) {
            throw M800Exception.invalidArgument("overrides must not be null (pass an empty list)");
        }
        for (ModuleDefinition o : overrides) {
            if (o == null) {
                throw M800Exception.invalidArgument("overrides contain null");
            }
        }
        ClientImpl client = new ClientImpl(appMeta, config, env, this::forget);
        synchronized (clients) {
            if (closed) {
                throw new M800Exception(org.m800.sdk.core.ErrorCode.ILLEGAL_STATE, "the client factory is stopped");
            }
            if (clients.containsKey(config.clientId())) {
                throw M800Exception.invalidArgument("a client with id " + config.clientId()
                        + " is already open; client ids must be unique");
            }
            clients.put(config.clientId(), client);
        }
        try {
            client.start(List.copyOf(overrides));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        watcher.opened(client);
        if (client.isClosed()) {
            // closed by another thread while it was listed: the close callback may have run before
            watcher.closed(client);
        }
        return client;
    }

    List<Client> clients() {
        synchronized (clients) {
            return List.copyOf(clients.values());
        }
    }

    private void forget(ClientImpl client) {
        synchronized (clients) {
            clients.remove(client.id(), client);
        }
        watcher.closed(client);
    }

    /** Closes every client; no new client can be created afterwards. */
    void closeAll() {
        List<ClientImpl> open;
        synchronized (clients) {
            closed = true;
            open = new ArrayList<>(clients.values());
        }
        open.forEach(ClientImpl::close);
    }
}
