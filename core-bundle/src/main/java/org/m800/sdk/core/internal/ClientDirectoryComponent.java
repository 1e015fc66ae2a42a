package org.m800.sdk.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientDirectory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@link ClientDirectory} service: every {@link OsgiClientFactory} instance (one per bundle that
 * uses the factory service) lists its clients here while they are open. Each listed client also gets
 * an {@link ClientEventLog}, so {@code m800:events} shows the events of any client since it was made.
 */
@Component(service = { ClientDirectory.class, ClientDirectoryComponent.class })
public final class ClientDirectoryComponent implements ClientDirectory {

    /** Insertion order is creation order: find() gives the oldest of equal ids. */
    private final Map<Client, ClientEventLog> open = new LinkedHashMap<>();

    /** Lists a client that was just created; its log starts now. */
    void opened(Client client) {
        ClientEventLog log = new ClientEventLog(client);
        synchronized (open) {
            open.put(client, log);
        }
    }

    /** Drops a closed client. */
    void closed(Client client) {
        ClientEventLog log;
        synchronized (open) {
            log = open.remove(client);
        }
        if (log != null) {
            log.close();
        }
    }

    @Override
    public Optional<Client> find(String clientId) {
        synchronized (open) {
            return open.keySet().stream().filter(c -> c.id().equals(clientId) && !c.isClosed()).findFirst();
        }
    }

    @Override
    public List<Client> clients() {
        synchronized (open) {
            return open.keySet().stream().filter(c -> !c.isClosed()).toList();
        }
    }

    /** @return the recorded events of the open client of that id, oldest first, or empty */
    public Optional<List<String>> events(String clientId) {
        synchronized (open) {
            for (Map.Entry<Client, ClientEventLog> e : open.entrySet()) {
                if (e.getKey().id().equals(clientId)) {
                    return Optional.of(e.getValue().lines());
                }
            }
        }
        return Optional.empty();
    }

    @Deactivate
    private void deactivate() {
        List<ClientEventLog> logs;
        synchronized (open) {
            logs = new ArrayList<>(open.values());
            open.clear();
        }
        logs.forEach(ClientEventLog::close);
    }
}
