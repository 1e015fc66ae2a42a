package org.m800.sdk.core.internal.shell;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.Subscription;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gogo shell commands of scope {@code m800}: create clients, watch their features, add and remove
 * feature bundles. Works in any framework with a Gogo runtime (the M800 runtime, Karaf); needs no
 * import of Gogo because commands are plain methods.
 *
 * <p>Defaults for {@code create} come from framework properties {@code m800.defaults.<key>} (the
 * runtime sets them for its embedded server), so {@code m800:create demo} works out of the box; with
 * {@code m800.defaults.dataRoot} set, a client's data directory defaults to {@code <dataRoot>/<clientId>}.
 */
@Component(service = ShellCommands.class, immediate = true, property = {
        "osgi.command.scope=m800",
        "osgi.command.function=create",
        "osgi.command.function=clients",
        "osgi.command.function=status",
        "osgi.command.function=add",
        "osgi.command.function=remove",
        "osgi.command.function=await",
        "osgi.command.function=unavailable",
        "osgi.command.function=events",
        "osgi.command.function=close",
        "osgi.command.function=signup",
        "osgi.command.function=login",
        "osgi.command.function=logout",
        "osgi.command.function=whoami",
        "osgi.command.function=connection" })
public final class ShellCommands {

    /** Prefix of the framework properties that give defaults to {@code m800:create}. */
    public static final String DEFAULTS_PREFIX = "m800.defaults.";

    private static final Logger LOG = LoggerFactory.getLogger(ShellCommands.class);
    private static final int EVENT_HISTORY = 200;
    private static final String[] DEFAULT_KEYS = { AppMeta.CARRIER, AppMeta.APPLICATION_IDENTIFIER,
        AppMeta.APPLICATION_KEY, AppMeta.APPLICATION_SECRET, AppMeta.DEVELOPER_KEY, AppMeta.APPLICATION_VERSION,
        ClientConfig.IM_SERVERS, ClientConfig.SIGN_UP_SERVERS, ClientConfig.VERIFICATION_SERVERS,
        ClientConfig.CALL_SERVERS, ClientConfig.DATA_DIRECTORY };

    private final BundleContext context;
    private final ClientFactory factory;
    private final Map<String, EventLog> logs = new ConcurrentHashMap<>();

    /** Called by Declarative Services. */
    @Activate
    public ShellCommands(BundleContext context, @Reference ClientFactory factory) {
        this.context = context;
        this.factory = factory;
    }

    @Deactivate
    private void deactivate() {
        logs.values().forEach(EventLog::close);
        logs.clear();
    }

    /** {@code m800:create <clientId> [key=value ...]}: creates a client; keys as in AppMeta and ClientConfig. */
    public String create(String clientId, String... settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : DEFAULT_KEYS) {
            String value = context.getProperty(DEFAULTS_PREFIX + key);
            if (value != null) {
                map.put(key, value);
            }
        }
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw M800Exception.invalidArgument("setting '" + setting + "' is not key=value");
            }
            map.put(setting.substring(0, eq).strip(), setting.substring(eq + 1).strip());
        }
        map.put(ClientConfig.CLIENT_ID, clientId);
        String dataRoot = context.getProperty(DEFAULTS_PREFIX + "dataRoot");
        if (dataRoot != null && !map.containsKey(ClientConfig.DATA_DIRECTORY)) {
            map.put(ClientConfig.DATA_DIRECTORY, java.nio.file.Path.of(dataRoot, clientId).toString());
        }
        Client client = factory.create(AppMeta.fromMap(map), ClientConfig.fromMap(map));
        logs.put(client.id(), new EventLog(client));
        return "client " + client.id() + " created";
    }

    /** {@code m800:clients}: one line per client with its state. */
    public String clients() {
        StringBuilder out = new StringBuilder();
        for (Client c : allClients().values()) {
            out.append(c.id()).append(c.isClosed() ? " CLOSED" : c.isReady() ? " READY" : " NOT READY").append('\n');
        }
        return out.length() == 0 ? "no clients" : out.toString().stripTrailing();
    }

    /** {@code m800:status [clientId]}: every feature and module with its state and what it waits for. */
    public String status(String... clientId) {
        if (clientId.length > 0) {
            return client(clientId[0]).diagnostics().describe().stripTrailing();
        }
        StringBuilder out = new StringBuilder();
        allClients().values().forEach(c -> out.append(c.diagnostics().describe()));
        return out.length() == 0 ? "no clients" : out.toString().stripTrailing();
    }

    /** {@code m800:add <clientId> <location>}: installs a feature bundle and waits until it is ready. */
    public String add(String clientId, String location) throws InterruptedException {
        Client client = client(clientId);
        String feature = join(client.addFeature(location), client.config().featureTimeout().toMillis() + 5_000);
        return "feature " + feature + " ready";
    }

    /** {@code m800:remove <clientId> <feature>}: removes a feature added in code or installed by add. */
    public String remove(String clientId, String feature) {
        client(clientId).removeFeature(feature);
        return "feature " + feature + " removed";
    }

    /**
     * {@code m800:await <clientId> <feature> [seconds]}: waits until the feature is ready (default 30 s).
     * A client that does not exist yet (one a configuration is creating) is waited for as well.
     */
    public String await(String clientId, String feature, int... seconds) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds.length > 0 ? seconds[0] : 30);
        Client client = awaitClient(clientId, deadline);
        CompletableFuture<String> ready = new CompletableFuture<>();
        try (Subscription s = client.on(ClientEvent.FEATURE_READY, name -> {
            if (name.equals(feature)) {
                ready.complete(name);
            }
        })) {
            int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
            waitFor(ready, client, feature, "ready", left);
        }
        return "feature " + feature + " ready (waited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                + " ms)";
    }

    private Client awaitClient(String clientId, long deadline) throws InterruptedException {
        CompletableFuture<Client> found = new CompletableFuture<>();
        org.osgi.framework.ServiceListener listener = event -> {
            if (event.getType() == org.osgi.framework.ServiceEvent.REGISTERED) {
                Object service = context.getService(event.getServiceReference());
                if (service instanceof Client c) {
                    found.complete(c);
                }
                context.ungetService(event.getServiceReference());
            }
        };
        try {
            context.addServiceListener(listener, "(&(objectClass=" + Client.class.getName() + ")("
                    + Client.PROPERTY_CLIENT_ID + "=" + clientId.replaceAll("[()*\\\\]", "") + "))");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw M800Exception.invalidArgument("client id '" + clientId + "' cannot be looked up: " + e.getMessage());
        }
        try {
            Client existing = allClients().get(clientId);
            if (existing != null) {
                return existing;
            }
            return found.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "no client " + clientId + " appeared in time; m800:clients lists them");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            context.removeServiceListener(listener);
        }
    }

    /** {@code m800:unavailable <clientId> <feature> [seconds]}: waits until the feature is not ready. */
    public String unavailable(String clientId, String feature, int... seconds) throws InterruptedException {
        Client client = client(clientId);
        CompletableFuture<String> gone = new CompletableFuture<>();
        try (Subscription s = client.on(ClientEvent.FEATURE_UNAVAILABLE, name -> {
            if (name.equals(feature)) {
                gone.complete(name);
            }
        })) {
            if (client.diagnostics().feature(feature) == null
                    || client.diagnostics().feature(feature).state() != org.m800.sdk.core.ClientDiagnostics.FeatureState.READY) {
                return "feature " + feature + " unavailable";
            }
            waitFor(gone, client, feature, "unavailable", seconds);
        }
        return "feature " + feature + " unavailable";
    }

    /** {@code m800:events <clientId>}: the events the client fired since the shell created it. */
    public String events(String clientId) {
        EventLog log = logs.get(clientId);
        if (log == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "no event history for " + clientId
                    + " (only clients created with m800:create have one)");
        }
        return String.join("\n", log.lines());
    }

    /** {@code m800:close <clientId>}: closes a client created with m800:create. */
    public String close(String clientId) {
        Client client = factory.clients().stream().filter(c -> c.id().equals(clientId)).findFirst()
                .orElseThrow(() -> new M800Exception(ErrorCode.NOT_FOUND, "no client " + clientId
                        + " created by the shell; configured clients close when their configuration is deleted"));
        client.close();
        EventLog log = logs.remove(clientId);
        if (log != null) {
            log.close();
        }
        return "client " + clientId + " closed";
    }

    /** {@code m800:signup <clientId> <username> <password> [displayName]}: creates an account and logs in. */
    public String signup(String clientId, String username, String password, String... displayName)
            throws InterruptedException {
        Client client = client(clientId);
        AccountManager account = client.require(AccountManager.class);
        Profile p = join(account.signUp(username, password, displayName.length > 0 ? String.join(" ", displayName) : null),
                client.config().requestTimeout().toMillis() * 2);
        return "signed up and logged in as " + p.username() + " (" + p.userId() + ")";
    }

    /** {@code m800:login <clientId> <username> <password>}: logs in. */
    public String login(String clientId, String username, String password) throws InterruptedException {
        Client client = client(clientId);
        Profile p = join(client.require(AccountManager.class).logIn(username, password),
                client.config().requestTimeout().toMillis() * 2);
        return "logged in as " + p.username() + " (" + p.userId() + ")";
    }

    /** {@code m800:logout <clientId>}: logs out (the local session is dropped even if the server is away). */
    public String logout(String clientId) throws InterruptedException {
        Client client = client(clientId);
        join(client.require(AccountManager.class).logOut(), client.config().requestTimeout().toMillis() * 2);
        return "logged out";
    }

    /** {@code m800:whoami <clientId>}: the logged-in user's profile and the connection state. */
    public String whoami(String clientId) {
        Client client = client(clientId);
        AccountManager account = client.require(AccountManager.class);
        ConnectionState state = client.require(ConnectService.class).state();
        return account.profile().map(p -> p.username() + " (" + p.userId() + ") \"" + p.displayName() + "\" status \""
                + p.statusMessage() + "\", connection " + state).orElse("not logged in, connection " + state);
    }

    /**
     * {@code m800:connection <clientId> [state] [seconds]}: prints the connection state, or waits until it
     * reaches the given state (default 30 s).
     */
    public String connection(String clientId, String... args) throws InterruptedException {
        Client client = client(clientId);
        ConnectService connect = client.require(ConnectService.class);
        if (args.length == 0) {
            return connect.state().toString();
        }
        ConnectionState wanted;
        try {
            wanted = ConnectionState.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw M800Exception.invalidArgument("unknown connection state '" + args[0] + "'; one of "
                    + java.util.Arrays.toString(ConnectionState.values()));
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        CompletableFuture<ConnectionStateEvent> reached = new CompletableFuture<>();
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Subscription s = connect.onStateChange(e -> {
            seen.add(e.newState() + " (" + e.reason() + ")");
            if (e.newState() == wanted) {
                reached.complete(e);
            }
        })) {
            reached.get(seconds, TimeUnit.SECONDS);
            return wanted.toString();
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "connection of " + clientId + " was not " + wanted + " within "
                    + seconds + " s; states seen: " + seen);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void waitFor(CompletableFuture<String> future, Client client, String feature, String what, int... seconds)
            throws InterruptedException {
        int timeout = seconds.length > 0 ? seconds[0] : 30;
        try {
            future.get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "feature " + feature + " of client " + client.id()
                    + " was not " + what + " within " + timeout + " s\n" + client.diagnostics().describe());
        } catch (ExecutionException e) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, String.valueOf(e.getCause()), e.getCause());
        }
    }

    private static <T> T join(CompletableFuture<T> future, long timeoutMillis) throws InterruptedException {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                throw new M800Exception(m.code(), m.getMessage(), m);
            }
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "no answer within " + timeoutMillis + " ms");
        }
    }

    private Client client(String id) {
        Client client = allClients().get(id);
        if (client == null) {
            throw new M800Exception(ErrorCode.NOT_FOUND, "no client " + id + "; m800:clients lists them");
        }
        return client;
    }

    /** Clients the shell created and clients registered as services (configured ones), by id. */
    private Map<String, Client> allClients() {
        Map<String, Client> all = new LinkedHashMap<>();
        factory.clients().forEach(c -> all.put(c.id(), c));
        try {
            for (var ref : context.getServiceReferences(Client.class, null)) {
                Client c = context.getService(ref);
                if (c != null) {
                    all.putIfAbsent(c.id(), c);
                    context.ungetService(ref);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
        return all;
    }

    /** The last events of one shell-created client, also logged as they happen. */
    private static final class EventLog {
        private final Deque<String> lines = new ArrayDeque<>();
        private final List<Subscription> subscriptions = new ArrayList<>();
        private final long created = System.nanoTime();

        EventLog(Client client) {
            subscriptions.add(client.on(ClientEvent.READY, c -> record(client, "READY")));
            subscriptions.add(client.on(ClientEvent.FEATURE_READY, f -> record(client, "FEATURE_READY " + f)));
            subscriptions.add(client.on(ClientEvent.FEATURE_UNAVAILABLE, f -> record(client, "FEATURE_UNAVAILABLE " + f)));
            subscriptions.add(client.on(ClientEvent.ERROR, e -> record(client, "ERROR " + e.code() + ": " + e.getMessage())));
        }

        private void record(Client client, String event) {
            String line = String.format("+%d ms %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created), event);
            LOG.info("client {}: {}", client.id(), event);
            synchronized (lines) {
                lines.addLast(line);
                if (lines.size() > EVENT_HISTORY) {
                    lines.removeFirst();
                }
            }
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        void close() {
            subscriptions.forEach(Subscription::close);
        }
    }
}
