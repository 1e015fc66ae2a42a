package org.m800.sdk.runtime;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parsed command line of the runtime. Immutable.
 *
 * @param help {@code --help}: print the usage and exit
 * @param home {@code --home}: the base folder of the defaults below
 * @param deploy {@code --deploy}: bundles dropped here are installed and started, removed ones uninstalled
 * @param etc {@code --etc}: {@code .cfg} files here become Configuration Admin configurations
 * @param storage {@code --storage}: the framework's cache; kept across starts, the runtime's own bundles
 *        copied into it again only when their jar changed (see {@code BundleCache})
 * @param script {@code --script}: a file of shell commands, {@code -} for standard input, or
 *        {@code null} for the interactive console
 * @param server whether to start the embedded reference server ({@code --no-server}, {@code --servers}
 *        and the single-endpoint options turn it off)
 * @param serverPort {@code --server-port}: the embedded server's port, 0 for a free one
 * @param serverData {@code --server-data}: the embedded server's data folder
 * @param outsideServers the endpoints given by {@code --servers} and the single-endpoint options, as
 *        client configuration keys ({@code imServers}...) to comma-separated URIs; empty when none
 * @param json {@code --json}: the SDK's shell commands print their results as JSON lines
 */
record RuntimeOptions(boolean help, Path home, Path deploy, Path etc, Path storage, String script, boolean server,
        int serverPort, Path serverData, Map<String, String> outsideServers, boolean json) {

    /** The {@code --script} value that reads the script from standard input. */
    static final String STDIN = "-";

    /** The folder the runtime keeps its state in when {@code --home} is not given. */
    static final Path DEFAULT_HOME = Path.of("m800-runtime");

    /** Client configuration keys of the server endpoints (as in {@code ClientConfig}). */
    static final String IM_SERVERS = "imServers";
    static final String SIGN_UP_SERVERS = "signUpServers";
    static final String VERIFICATION_SERVERS = "verificationServers";
    static final String CALL_SERVERS = "callServers";

    /** Paths of the reference server's WebSocket endpoints under an origin given by {@code --servers}. */
    static final String IM_PATH = "/v1/im";
    static final String CALL_PATH = "/v1/call";

    /** The single-endpoint options: option name to the client configuration key it sets. */
    private static final Map<String, String> ENDPOINT_OPTIONS = Map.of("--im-servers", IM_SERVERS,
            "--signup-servers", SIGN_UP_SERVERS, "--verification-servers", VERIFICATION_SERVERS,
            "--call-servers", CALL_SERVERS);

    RuntimeOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(deploy, "deploy");
        Objects.requireNonNull(etc, "etc");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(serverData, "serverData");
        outsideServers = Map.copyOf(outsideServers);
    }

    /** @return whether the runtime runs a script rather than the interactive console */
    boolean scripted() {
        return script != null;
    }

    /** @return whether the script comes from standard input */
    boolean scriptFromStdin() {
        return STDIN.equals(script);
    }

    /**
     * Parses the command line. Options take their value as the next argument or after {@code =}
     * ({@code --deploy dir} or {@code --deploy=dir}). Paths are made absolute against the working
     * folder.
     *
     * @throws UsageException for an unknown option, a missing or empty value, an option given twice,
     *         or an argument that is not an option
     */
    static RuntimeOptions parse(String... args) throws UsageException {
        boolean help = false;
        boolean server = true;
        boolean json = false;
        String home = null;
        String deploy = null;
        String etc = null;
        String storage = null;
        String script = null;
        String serverPort = null;
        String serverData = null;
        String servers = null;
        Map<String, String> endpoints = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            String key = name.equals("-h") ? "--help" : name;
            if (!seen.add(key)) {
                throw new UsageException("option " + key + " is given twice");
            }
            switch (name) {
                case "-h", "--help" -> {
                    noValue(name, inlineValue);
                    help = true;
                }
                case "--no-server" -> {
                    noValue(name, inlineValue);
                    server = false;
                }
                case "--json" -> {
                    noValue(name, inlineValue);
                    json = true;
                }
                case "--home", "--deploy", "--etc", "--storage", "--script", "--server-port", "--server-data",
                        "--servers", "--im-servers", "--signup-servers", "--verification-servers",
                        "--call-servers" -> {
                    String value;
                    if (inlineValue != null) {
                        value = inlineValue;
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    if (value.isBlank()) {
                        throw new UsageException("option " + name + " needs a value, got an empty one");
                    }
                    switch (name) {
                        case "--home" -> home = value;
                        case "--deploy" -> deploy = value;
                        case "--etc" -> etc = value;
                        case "--storage" -> storage = value;
                        case "--script" -> script = value;
                        case "--server-port" -> serverPort = value;
                        case "--server-data" -> serverData = value;
                        case "--servers" -> servers = value;
                        default -> endpoints.put(ENDPOINT_OPTIONS.get(name), uris(name, value, endpointSchemes(name)));
                    }
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + name
                        : "unexpected argument '" + arg + "' (commands go in a --script file)");
            }
        }
        Map<String, String> outside = new LinkedHashMap<>();
        if (servers != null) {
            outside.putAll(endpointsOf(servers));
        }
        outside.putAll(endpoints);
        if (!outside.isEmpty()) {
            server = false;
        }
        if (!server) {
            for (String embeddedOnly : List.of("--server-port", "--server-data")) {
                if (seen.contains(embeddedOnly)) {
                    throw new UsageException("option " + embeddedOnly + " configures the embedded server, which "
                            + (outside.isEmpty() ? "--no-server" : "--servers or an --*-servers option")
                            + " turns off");
                }
            }
        }
        Path homePath = absolute(home == null ? DEFAULT_HOME : Path.of(home));
        return new RuntimeOptions(help, homePath,
                deploy == null ? homePath.resolve("deploy") : absolute(Path.of(deploy)),
                etc == null ? homePath.resolve("etc") : absolute(Path.of(etc)),
                storage == null ? homePath.resolve("felix-cache") : absolute(Path.of(storage)),
                script, server, serverPort == null ? 0 : port(serverPort),
                serverData == null ? homePath.resolve("server-data") : absolute(Path.of(serverData)), outside, json);
    }

    private static int port(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option --server-port needs a port number from 0 (a free port) to 65535, got '"
                + value + "'");
    }

    private static Set<String> endpointSchemes(String option) {
        return option.equals("--im-servers") || option.equals("--call-servers") ? Set.of("ws", "wss")
                : Set.of("http", "https");
    }

    /**
     * The endpoints of reference servers at the given origins: {@code http://host:port} gives
     * {@code signUpServers} and {@code verificationServers} {@code http://host:port}, {@code imServers}
     * {@code ws://host:port/v1/im} and {@code callServers} {@code ws://host:port/v1/call}
     * ({@code https} gives {@code wss}).
     */
    static Map<String, String> endpointsOf(String origins) throws UsageException {
        List<String> http = new ArrayList<>();
        List<String> im = new ArrayList<>();
        List<String> call = new ArrayList<>();
        for (String item : split(origins)) {
            URI uri = uri("--servers", item, Set.of("http", "https"));
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new UsageException("option --servers needs origins such as http://127.0.0.1:8080 (no path),"
                        + " got '" + item + "'");
            }
            String authority = uri.getRawAuthority();
            boolean secure = uri.getScheme().equalsIgnoreCase("https");
            http.add((secure ? "https://" : "http://") + authority);
            im.add((secure ? "wss://" : "ws://") + authority + IM_PATH);
            call.add((secure ? "wss://" : "ws://") + authority + CALL_PATH);
        }
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put(IM_SERVERS, String.join(",", im));
        endpoints.put(SIGN_UP_SERVERS, String.join(",", http));
        endpoints.put(VERIFICATION_SERVERS, String.join(",", http));
        endpoints.put(CALL_SERVERS, String.join(",", call));
        return endpoints;
    }

    /** Checks a list of URIs (separated by commas or spaces) and returns it comma-separated. */
    private static String uris(String option, String value, Set<String> schemes) throws UsageException {
        List<String> checked = new ArrayList<>();
        for (String item : split(value)) {
            checked.add(uri(option, item, schemes).toString());
        }
        return String.join(",", checked);
    }

    private static List<String> split(String value) throws UsageException {
        List<String> items = new ArrayList<>();
        for (String item : value.split("[,\\s]+")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        if (items.isEmpty()) {
            throw new UsageException("'" + value + "' holds no URI");
        }
        return items;
    }

    private static URI uri(String option, String item, Set<String> schemes) throws UsageException {
        URI uri;
        try {
            uri = new URI(item);
        } catch (URISyntaxException e) {
            throw new UsageException("option " + option + " has a malformed URI '" + item + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !schemes.contains(scheme) || uri.getHost() == null) {
            throw new UsageException("option " + option + " needs " + String.join(" or ",
                    schemes.stream().sorted().map(sc -> sc + "://host:port").toList()) + " URIs, got '" + item + "'");
        }
        return uri;
    }

    /**
     * Checks what can be checked before anything starts: the script exists, and the storage folder,
     * which the framework wipes, is neither a folder with other content nor one that holds
     * {@code deploy} or {@code etc}.
     *
     * @throws UsageException naming the option and the problem
     */
    void validate() throws UsageException {
        if (scripted() && !scriptFromStdin() && !Files.isReadable(Path.of(script))) {
            throw new UsageException("--script " + script + ": no such readable file");
        }
        for (Path kept : new Path[] {deploy, etc}) {
            if (kept.toString().indexOf(',') >= 0) {
                throw new UsageException("folder " + kept + " has a comma in its path, which FileInstall cannot watch");
            }
            if (kept.startsWith(storage)) {
                throw new UsageException("--storage " + storage + " would wipe " + kept
                        + " at start; choose a storage folder outside it");
            }
        }
        if (server && serverData.startsWith(storage)) {
            throw new UsageException("--storage " + storage + " would wipe the server data " + serverData
                    + " at start; choose a storage folder outside it");
        }
        if (Files.isRegularFile(storage)) {
            throw new UsageException("--storage " + storage + " is a file, not a folder");
        }
        if (Files.isDirectory(storage) && !isEmptyOrFrameworkCache(storage)) {
            throw new UsageException("--storage " + storage + " is not empty and is not a framework cache;"
                    + " the framework manages what is in it, so give it an empty or new folder");
        }
    }

    /** Felix keeps the system bundle's data in {@code bundle0}; a folder with it is an earlier cache. */
    static boolean isEmptyOrFrameworkCache(Path dir) throws UsageException {
        if (Files.isDirectory(dir.resolve("bundle0"))) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (java.io.IOException e) {
            throw new UsageException("--storage " + dir + " cannot be read: " + e.getMessage());
        }
    }

    private static void noValue(String name, String inlineValue) throws UsageException {
        if (inlineValue != null) {
            throw new UsageException("option " + name + " takes no value");
        }
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /** @return the usage text of {@code --help} */
    static String usage() {
        return """
                Usage: java -jar m800-runtime.jar [options]

                Starts an OSGi framework (Apache Felix) with Declarative Services, Configuration Admin,
                FileInstall, the Gogo shell and the M800 SDK bundles. Without --script it opens the
                interactive shell (type 'help' for the commands, the SDK's start with m800:; 'exit',
                'quit' or Ctrl-D stops the runtime).

                Options:
                  --home <dir>      base folder of the defaults below (default: ./m800-runtime)
                  --deploy <dir>    bundle jars dropped here are installed and started; deleting one
                                    uninstalls it (default: <home>/deploy)
                  --etc <dir>       <pid>.cfg and <factoryPid>-<name>.cfg files here become
                                    Configuration Admin configurations (default: <home>/etc)
                  --storage <dir>   framework cache, kept across starts (every start still begins with
                                    no configuration or bundle but the runtime's own); must be empty,
                                    new or an earlier cache (default: <home>/felix-cache)
                  --script <file>   run the shell commands in <file>, one per line, then stop;
                                    '--script -' reads them from standard input. Blank lines and lines
                                    starting with # are skipped. Each command is echoed with its output.
                  --json            the SDK's commands print each result as one JSON line (an id
                                    as {"conversation":"c-..."}); 'm800:json on|off' switches it
                  -h, --help        print this text and exit

                Servers: by default the runtime starts the M800 reference server in its JVM (beside the
                framework, not in it) on 127.0.0.1 and makes it, with the server's development
                application (carrier dev.m800, key dev-key), the default of 'm800:create': so
                'm800:create demo' then 'm800:signup demo alice secret-password' need nothing else.
                  --server-port <n> port of the embedded server (default: 0, a free port; the ready
                                    message prints the URIs)
                  --server-data <dir>  the embedded server's database folder; kept across runs
                                    (default: <home>/server-data)
                  --no-server       start no server; clients need explicit servers
                                    (m800:create demo imServers=ws://... signUpServers=http://...)
                  --servers <origin>  use reference servers elsewhere instead, such as
                                    http://10.0.0.5:8080 (a comma-separated list for fail-over):
                                    imServers ws://<origin>/v1/im, signUpServers and
                                    verificationServers <origin>, callServers ws://<origin>/v1/call
                                    (https gives wss)
                  --im-servers <uris>, --signup-servers <uris>, --verification-servers <uris>,
                  --call-servers <uris>
                                    set one endpoint list (comma-separated), over --servers; each
                                    implies no embedded server

                The defaults are framework properties m800.defaults.<key> (imServers, signUpServers,
                verificationServers, callServers, carrier, applicationIdentifier, applicationKey,
                applicationSecret, developerKey, applicationVersion): ${m800.defaults.imServers} in an
                etc/*.cfg file refers to one, and -Dm800.defaults.<key>=<value> before -jar replaces one
                (your own application, say). Keys given to m800:create win over the defaults.

                'help m800' lists the SDK's commands, 'help m800:<command>' explains one.

                Script helpers: runtime:waitfor "<ldap filter>" [timeoutSeconds] waits for a service (for
                example "(m800.client.id=demo)", a client configured in etc/); runtime:uptime prints the
                milliseconds since the JVM started.

                Folders are created when missing. Exit status: 0 success; 1 a script command failed
                (the line and the error are printed); 2 bad command line; 3 the runtime could not start
                (the bundle and its unresolved requirement are printed).

                Logging: SLF4J simple logger to standard error, level info (Jetty: warn); change it with
                -Dorg.slf4j.simpleLogger.defaultLogLevel=debug (or ...simpleLogger.log.<logger>=<level>)
                before -jar.
                """;
    }
}
