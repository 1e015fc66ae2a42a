package org.m800.sdk.core.internal.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.Subscription;
import org.m800.sdk.core.internal.ClientDirectoryComponent;
import org.m800.sdk.core.shell.ShellSupport;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

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
        "osgi.command.function=connection",
        "osgi.command.function=json" })
public final class ShellCommands {

    /** Prefix of the framework properties that give defaults to {@code m800:create}. */
    public static final String DEFAULTS_PREFIX = ShellSupport.DEFAULTS_PREFIX;

    private final BundleContext context;
    private final ClientFactory factory;
    private final ClientDirectoryComponent directory;
    private final ShellSupport shell;

    /** Called by Declarative Services. */
    @Activate
    public ShellCommands(BundleContext context, @Reference ClientFactory factory,
            @Reference ClientDirectoryComponent directory, @Reference ShellSupport shell) {
        this.context = context;
        this.factory = factory;
        this.directory = directory;
        this.shell = shell;
    }

    /** {@code m800:json [on|off]}: prints or switches the JSON mode of every shell. */
    @Descriptor("prints results as JSON lines (on) or as text (off); without an argument, says which")
    public String json(@Descriptor("on or off") String... onOff) {
        if (onOff.length > 0) {
            switch (onOff[0].toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true" -> shell.json(true);
                case "off", "false" -> shell.json(false);
                default -> throw M800Exception.invalidArgument("m800:json takes on or off, not '" + onOff[0] + "'");
            }
        }
        return shell.result("json " + (shell.json() ? "on" : "off"), Map.of("json", shell.json()));
    }

    /** {@code m800:create <clientId> [key=value ...]}: creates a client; keys as in AppMeta and ClientConfig. */
    @Descriptor("creates a client on the runtime's defaults; prints 'client <id>'")
    public String create(@Descriptor("the new client's id") String clientId,
            @Descriptor("key=value settings of AppMeta and ClientConfig over the defaults, such as imServers=ws://host:8080/v1/im")
            String... settings) {
        Map<String, Object> map = new LinkedHashMap<>(shell.defaults());
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
        return shell.result("client " + client.id() + " created", Map.of("client", client.id()));
    }

    /** {@code m800:clients}: one line per client with its state. */
    @Descriptor("lists every open client with its state")
    public String clients() {
        StringBuilder out = new StringBuilder();
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (Client c : directory.clients()) {
            String state = c.isClosed() ? "CLOSED" : c.isReady() ? "READY" : "NOT READY";
            out.append(c.id()).append(' ').append(state).append('\n');
            rows.add(Map.of("client", c.id(), "state", state));
        }
        return shell.rows(out.length() == 0 ? "no clients" : out.toString().stripTrailing(), "clients", rows);
    }

    /** {@code m800:status [clientId]}: every feature and module with its state and what it waits for. */
    @Descriptor("every feature and module of a client (or of all) with its state and what it waits for")
    public String status(@Descriptor("a client id; all clients without it") String... clientId) {
        if (clientId.length > 0) {
            return shell.text(client(clientId[0]).diagnostics().describe().stripTrailing());
        }
        StringBuilder out = new StringBuilder();
        directory.clients().forEach(c -> out.append(c.diagnostics().describe()));
        return shell.text(out.length() == 0 ? "no clients" : out.toString().stripTrailing());
    }

    /** {@code m800:add <clientId> <location>}: installs a feature bundle and waits until it is ready. */
    @Descriptor("installs a feature bundle into a client and waits until the feature is ready; prints 'feature <name> ready'")
    public String add(@Descriptor("the client id") String clientId,
            @Descriptor("the bundle's location, such as file:/opt/features/chat-bundle.jar") String location)
            throws InterruptedException {
        Client client = client(clientId);
        String feature = join(client.addFeature(location), client.config().featureTimeout().toMillis() + 5_000);
        return shell.result("feature " + feature + " ready", Map.of("feature", feature));
    }

    /** {@code m800:remove <clientId> <feature>}: removes a feature added in code or installed by add. */
    @Descriptor("removes a feature added in code or by m800:add")
    public String remove(@Descriptor("the client id") String clientId, @Descriptor("the feature's name") String feature) {
        client(clientId).removeFeature(feature);
        return shell.result("feature " + feature + " removed", Map.of("removed", feature));
    }

    /**
     * {@code m800:await <clientId> <feature> [seconds]}: waits until the feature is ready (default 30 s).
     * A client that does not exist yet (one a configuration is creating) is waited for as well.
     */
    @Descriptor("waits until a feature of a client is ready (also for a client that a configuration is still creating)")
    public String await(@Descriptor("the client id") String clientId, @Descriptor("the feature's name, such as chat") String feature,
            @Descriptor("how long to wait, in seconds (default 30)") int... seconds) throws InterruptedException {
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
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return shell.result("feature " + feature + " ready (waited " + waited + " ms)",
                Map.of("ready", feature, "waitedMillis", waited));
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
            java.util.Optional<Client> existing = directory.find(clientId);
            if (existing.isPresent()) {
                return existing.get();
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
    @Descriptor("waits until a feature of a client is not ready")
    public String unavailable(@Descriptor("the client id") String clientId, @Descriptor("the feature's name") String feature,
            @Descriptor("how long to wait, in seconds (default 30)") int... seconds) throws InterruptedException {
        Client client = client(clientId);
        CompletableFuture<String> gone = new CompletableFuture<>();
        try (Subscription s = client.on(ClientEvent.FEATURE_UNAVAILABLE, name -> {
            if (name.equals(feature)) {
                gone.complete(name);
            }
        })) {
            if (client.diagnostics().feature(feature) == null
                    || client.diagnostics().feature(feature).state() != org.m800.sdk.core.ClientDiagnostics.FeatureState.READY) {
                return shell.result("feature " + feature + " unavailable", Map.of("unavailable", feature));
            }
            waitFor(gone, client, feature, "unavailable", seconds);
        }
        return shell.result("feature " + feature + " unavailable", Map.of("unavailable", feature));
    }

    /** {@code m800:events <clientId>}: the events the client fired since it was created (the last 200). */
    @Descriptor("the events a client fired since it was made (the last 200)")
    public String events(@Descriptor("the client id") String clientId) {
        List<String> lines = directory.events(clientId).orElseThrow(() -> new M800Exception(ErrorCode.NOT_FOUND,
                "no client " + clientId + "; m800:clients lists them"));
        return shell.result(lines.isEmpty() ? "no events yet" : String.join("\n", lines), Map.of("events", lines));
    }

    /** {@code m800:close <clientId>}: closes a client created with m800:create. */
    @Descriptor("closes a client made by m800:create")
    public String close(@Descriptor("the client id") String clientId) {
        Client client = factory.clients().stream().filter(c -> c.id().equals(clientId)).findFirst()
                .orElseThrow(() -> new M800Exception(ErrorCode.NOT_FOUND, "no client " + clientId
                        + " created by the shell; configured clients close when their configuration is deleted"));
        client.close();
        return shell.result("client " + clientId + " closed", Map.of("closed", clientId));
    }

    /** {@code m800:signup <clientId> <username> <password> [displayName]}: creates an account and logs in. */
    @Descriptor("signs up a new user on a client and logs in; prints 'user <id>' and the username")
    public String signup(@Descriptor("the client id") String clientId, @Descriptor("the new username") String username,
            @Descriptor("the password") String password, @Descriptor("the display name (words)") String... displayName)
            throws InterruptedException {
        Client client = client(clientId);
        AccountManager account = client.require(AccountManager.class);
        Profile p = join(account.signUp(username, password, displayName.length > 0 ? String.join(" ", displayName) : null),
                client.config().requestTimeout().toMillis() * 2);
        return shell.result("user " + p.userId() + " signed up and logged in as " + p.username(),
                Map.of("user", p.userId(), "username", p.username()));
    }

    /** {@code m800:login <clientId> <username> <password>}: logs in. */
    @Descriptor("logs a user in on a client; prints 'user <id>' and the username")
    public String login(@Descriptor("the client id") String clientId, @Descriptor("the username") String username,
            @Descriptor("the password") String password) throws InterruptedException {
        Client client = client(clientId);
        Profile p = join(client.require(AccountManager.class).logIn(username, password),
                client.config().requestTimeout().toMillis() * 2);
        return shell.result("user " + p.userId() + " logged in as " + p.username(),
                Map.of("user", p.userId(), "username", p.username()));
    }

    /** {@code m800:logout <clientId>}: logs out (the local session is dropped even if the server is away). */
    @Descriptor("logs the user of a client out (the local session is dropped even if the server is away)")
    public String logout(@Descriptor("the client id") String clientId) throws InterruptedException {
        Client client = client(clientId);
        join(client.require(AccountManager.class).logOut(), client.config().requestTimeout().toMillis() * 2);
        return shell.result("logged out", Map.of("loggedOut", clientId));
    }

    /** {@code m800:whoami <clientId>}: the logged-in user's profile and the connection state. */
    @Descriptor("the user logged in on a client and the connection state")
    public String whoami(@Descriptor("the client id") String clientId) {
        Client client = client(clientId);
        AccountManager account = client.require(AccountManager.class);
        ConnectionState state = client.require(ConnectService.class).state();
        return account.profile().map(p -> shell.result(p.username() + " (" + p.userId() + ") \"" + p.displayName()
                + "\" status \"" + p.statusMessage() + "\", connection " + state, Map.of("user", p.userId(), "username",
                        p.username(), "displayName", p.displayName(), "status", p.statusMessage(), "connection",
                        state.toString())))
                .orElseGet(() -> shell.result("not logged in, connection " + state, Map.of("connection", state.toString())));
    }

    /**
     * {@code m800:connection <clientId> [state] [seconds]}: prints the connection state, or waits until it
     * reaches the given state (default 30 s).
     */
    @Descriptor("the connection state of a client, or waits until it is the given state")
    public String connection(@Descriptor("the client id") String clientId,
            @Descriptor("[state [seconds]]: the state to wait for, such as CONNECTED, and how long (default 30 s)") String... args)
            throws InterruptedException {
        Client client = client(clientId);
        ConnectService connect = client.require(ConnectService.class);
        if (args.length == 0) {
            return shell.result(connect.state().toString(), Map.of("connection", connect.state().toString()));
        }
        ConnectionState wanted;
        try {
            wanted = ConnectionState.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw M800Exception.invalidArgument("unknown connection state '" + args[0] + "'; one of "
                    + java.util.Arrays.toString(ConnectionState.values()));
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String reached = join(client.connectionState(wanted, java.time.Duration.ofSeconds(seconds)), seconds * 1000L + 1000)
                .toString();
        return shell.result(reached, Map.of("connection", reached));
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

    private <T> T join(CompletableFuture<T> future, long timeoutMillis) throws InterruptedException {
        return shell.join(future, java.time.Duration.ofMillis(timeoutMillis));
    }

    private Client client(String id) {
        return shell.client(id);
    }
}
