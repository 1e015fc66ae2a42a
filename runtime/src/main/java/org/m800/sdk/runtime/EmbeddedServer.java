package org.m800.sdk.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A server the runtime runs in its own JVM, outside the OSGi framework, on the launcher's class path.
 * The runtime starts every {@code EmbeddedServer} that {@link java.util.ServiceLoader} finds there
 * (listed in {@code META-INF/services/org.m800.sdk.runtime.EmbeddedServer}; this build has
 * {@link ReferenceServerEmbedding}) while the framework starts, unless {@code --no-server} or outside
 * servers are given, and closes it after the framework has stopped: {@link #prepare} fixes the port and
 * the endpoints (they become framework properties), {@link #start()} then runs beside the framework's
 * start, and the runtime waits for it before it runs a script or reports itself ready.
 *
 * <p>The endpoints it returns become the defaults of {@code m800:create} (framework properties
 * {@code m800.defaults.<key>}), so bundles and {@code etc/*.cfg} files (FileInstall substitutes
 * {@code ${...}}) can point clients at it.
 */
public interface EmbeddedServer extends AutoCloseable {

    /** @return a short name for the console, such as {@code M800 reference server} */
    String name();

    /**
     * Settles where the server will listen, without starting it (quick: no database, no socket kept).
     *
     * @param dataDirectory the folder the server keeps its state in (created if missing)
     * @param port the port to listen on, 0 for a free one (picked now)
     * @return the client configuration endpoints it will serve, by key of {@code ClientConfig}
     *         ({@code imServers}, {@code signUpServers}, {@code verificationServers},
     *         {@code callServers}) to a URI
     * @throws Exception if no port can be had
     */
    Map<String, String> prepare(Path dataDirectory, int port) throws Exception;

    /**
     * Starts the prepared server on the loopback interface and returns once it serves requests; may
     * run on another thread than {@link #prepare} and {@link #close()}.
     *
     * @throws Exception if the server cannot start; the runtime then stops
     */
    void start() throws Exception;

    /** {@link #prepare} and {@link #start()} in one. */
    default Map<String, String> start(Path dataDirectory, int port) throws Exception {
        Map<String, String> endpoints = prepare(dataDirectory, port);
        start();
        return endpoints;
    }

    /**
     * @return what this server does that a production server must not (such as showing verification
     *         codes), one line each, printed with the ready message; empty by default
     */
    default List<String> notices() {
        return List.of();
    }

    /** @return where the server listens, for the console, such as {@code http://127.0.0.1:8080}; once started */
    String address();

    /** Stops the server and frees its ports and threads; idempotent; reports a failure with an unchecked exception. */
    @Override
    void close();
}
