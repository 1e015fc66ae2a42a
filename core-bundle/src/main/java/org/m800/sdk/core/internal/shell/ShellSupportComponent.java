package org.m800.sdk.core.internal.shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientDirectory;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleDefinition;
import org.m800.sdk.core.internal.wire.Json;
import org.m800.sdk.core.shell.ShellSupport;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link ShellSupport} service; the JSON switch starts from the framework property. */
@Component(service = ShellSupport.class)
public final class ShellSupportComponent implements ShellSupport {

    private static final String[] DEFAULT_KEYS = { AppMeta.CARRIER, AppMeta.APPLICATION_IDENTIFIER,
        AppMeta.APPLICATION_KEY, AppMeta.APPLICATION_SECRET, AppMeta.DEVELOPER_KEY, AppMeta.APPLICATION_VERSION,
        ClientConfig.IM_SERVERS, ClientConfig.SIGN_UP_SERVERS, ClientConfig.VERIFICATION_SERVERS,
        ClientConfig.CALL_SERVERS, ClientConfig.FILE_SERVERS, ClientConfig.DATA_DIRECTORY };

    private final UnaryOperator<String> properties;
    private final ClientFactory factory;
    private final ClientDirectory directory;
    private final AtomicBoolean json;

    /** Called by Declarative Services. */
    @Activate
    public ShellSupportComponent(BundleContext context, @Reference ClientFactory factory,
            @Reference ClientDirectory directory) {
        this(context::getProperty, factory, directory);
    }

    /** @param properties the framework properties */
    ShellSupportComponent(UnaryOperator<String> properties, ClientFactory factory, ClientDirectory directory) {
        this.properties = properties;
        this.factory = factory;
        this.directory = directory;
        this.json = new AtomicBoolean(Boolean.parseBoolean(properties.apply(JSON_PROPERTY)));
    }

    @Override
    public Client client(String clientId) {
        if (clientId == null || clientId.isBlank()) {
            throw M800Exception.invalidArgument("a client id is required; m800:clients lists them");
        }
        return directory.require(clientId);
    }

    @Override
    public <M> M feature(String clientId, Class<M> type) {
        return client(clientId).module(type).orElseThrow(() -> new M800Exception(ErrorCode.FEATURE_UNAVAILABLE,
                "client " + clientId + " has no " + type.getSimpleName() + " ready; m800:status " + clientId
                        + " says what it waits for"));
    }

    @Override
    public String userId(String userIdOrClient) {
        if (userIdOrClient != null && userIdOrClient.startsWith("@")) {
            return directory.userId(userIdOrClient);
        }
        return directory.userId(userIdOrClient == null ? null : id("user", userIdOrClient));
    }

    @Override
    public String id(String kind, String argument) {
        if (argument == null || argument.isBlank()) {
            throw M800Exception.invalidArgument("a " + kind + " id is required");
        }
        String value = argument.strip();
        if (value.startsWith("{")) {
            Map<String, Object> fields;
            try {
                fields = Json.readObject(value);
            } catch (M800Exception e) {
                throw M800Exception.invalidArgument("'" + value + "' is not a " + kind + " id nor a JSON object: "
                        + e.getMessage());
            }
            Object id = fields.get(kind);
            if (!(id instanceof String s) || s.isBlank()) {
                throw M800Exception.invalidArgument("the JSON object " + value + " has no field '" + kind + "'");
            }
            return s;
        }
        String prefix = kind + " ";
        if (!value.startsWith(prefix)) {
            return value;
        }
        // a printed line: "<kind> <id>" and maybe more words; ids have no spaces
        String rest = value.substring(prefix.length()).strip();
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    @Override
    public <T> T join(CompletableFuture<T> future, Duration timeout) throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof M800Exception m) {
                // a new exception, so the shell shows the stack of the command, with the cause's kept
                throw new M800Exception(m.code(), m.getMessage(), m);
            }
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new M800Exception(ErrorCode.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
        }
    }

    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : DEFAULT_KEYS) {
            String value = properties.apply(DEFAULTS_PREFIX + key);
            if (value != null) {
                map.put(key, value);
            }
        }
        return map;
    }

    @Override
    public Client demoClient(String clientId, Path dataDirectory, List<ModuleDefinition> overrides, String feature)
            throws InterruptedException {
        Map<String, Object> map = defaults();
        if (!map.containsKey(ClientConfig.IM_SERVERS)) {
            throw M800Exception.invalidArgument("no " + DEFAULTS_PREFIX + ClientConfig.IM_SERVERS
                    + " framework property: start the runtime with its embedded server");
        }
        map.put(ClientConfig.DATA_DIRECTORY, dataDirectory.toString());
        map.put(ClientConfig.CLIENT_ID, clientId);
        Client client = factory.create(AppMeta.fromMap(map), ClientConfig.fromMap(map), overrides);
        try {
            join(client.featureReady(feature), client.config().featureTimeout().plusSeconds(5));
            return client;
        } catch (RuntimeException | InterruptedException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public boolean json() {
        return json.get();
    }

    @Override
    public void json(boolean on) {
        json.set(on);
    }

    @Override
    public String result(String text, Map<String, ?> fields) {
        if (!json.get()) {
            return text;
        }
        // a stable order for unordered maps (Map.of), so a line reads the same every time
        return Json.write(fields instanceof LinkedHashMap || fields instanceof java.util.SortedMap ? fields
                : new java.util.TreeMap<>(fields));
    }
}
