package org.m800.sdk.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The parsed command line of the runtime. Immutable.
 *
 * @param help {@code --help}: print the usage and exit
 * @param home {@code --home}: the base folder of the defaults below
 * @param deploy {@code --deploy}: bundles dropped here are installed and started, removed ones uninstalled
 * @param etc {@code --etc}: {@code .cfg} files here become Configuration Admin configurations
 * @param storage {@code --storage}: the framework's cache; wiped at every start
 * @param script {@code --script}: a file of shell commands, {@code -} for standard input, or
 *        {@code null} for the interactive console
 * @param server whether to start the embedded reference server ({@code --no-server} turns it off)
 */
record RuntimeOptions(boolean help, Path home, Path deploy, Path etc, Path storage, String script, boolean server) {

    /** The {@code --script} value that reads the script from standard input. */
    static final String STDIN = "-";

    /** The folder the runtime keeps its state in when {@code --home} is not given. */
    static final Path DEFAULT_HOME = Path.of("m800-runtime");

    RuntimeOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(deploy, "deploy");
        Objects.requireNonNull(etc, "etc");
        Objects.requireNonNull(storage, "storage");
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
        String home = null;
        String deploy = null;
        String etc = null;
        String storage = null;
        String script = null;
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
                case "--home", "--deploy", "--etc", "--storage", "--script" -> {
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
                        default -> script = value;
                    }
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + name
                        : "unexpected argument '" + arg + "' (commands go in a --script file)");
            }
        }
        Path homePath = absolute(home == null ? DEFAULT_HOME : Path.of(home));
        return new RuntimeOptions(help, homePath,
                deploy == null ? homePath.resolve("deploy") : absolute(Path.of(deploy)),
                etc == null ? homePath.resolve("etc") : absolute(Path.of(etc)),
                storage == null ? homePath.resolve("felix-cache") : absolute(Path.of(storage)),
                script, server);
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
        if (Files.isRegularFile(storage)) {
            throw new UsageException("--storage " + storage + " is a file, not a folder");
        }
        if (Files.isDirectory(storage) && !isEmptyOrFrameworkCache(storage)) {
            throw new UsageException("--storage " + storage + " is not empty and is not a framework cache;"
                    + " the runtime wipes its storage at start, so give it an empty or new folder");
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
                interactive shell (type 'help' for the commands, 'help m800' for the SDK's; Ctrl-D or
                'stop 0' stops the runtime).

                Options:
                  --home <dir>      base folder of the defaults below (default: ./m800-runtime)
                  --deploy <dir>    bundle jars dropped here are installed and started; deleting one
                                    uninstalls it (default: <home>/deploy)
                  --etc <dir>       <pid>.cfg and <factoryPid>-<name>.cfg files here become
                                    Configuration Admin configurations (default: <home>/etc)
                  --storage <dir>   framework cache, wiped at every start; must be empty, new or an
                                    earlier cache (default: <home>/felix-cache)
                  --script <file>   run the shell commands in <file>, one per line, then stop;
                                    '--script -' reads them from standard input. Blank lines and lines
                                    starting with # are skipped. Each command is echoed with its output.
                  --no-server       do not start the embedded reference server (when the build has one)
                  -h, --help        print this text and exit

                Script helpers: runtime:waitfor "<ldap filter>" [timeoutSeconds] waits for a service (for
                example "(m800.client.id=demo)", a client configured in etc/); runtime:uptime prints the
                milliseconds since the JVM started.

                Folders are created when missing. Exit status: 0 success; 1 a script command failed
                (the line and the error are printed); 2 bad command line; 3 the runtime could not start
                (the bundle and its unresolved requirement are printed).

                Logging: SLF4J simple logger, level info; change it with
                -Dorg.slf4j.simpleLogger.defaultLogLevel=debug before -jar.
                """;
    }
}
