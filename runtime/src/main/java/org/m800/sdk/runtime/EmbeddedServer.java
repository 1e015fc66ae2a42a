package org.m800.sdk.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * The place for the embedded reference server. The runtime starts every {@code EmbeddedServer} that
 * {@link java.util.ServiceLoader} finds on its own class path (none in this build) before the
 * framework, unless {@code --no-server} is given, and closes it after the framework has stopped.
 *
 * <p>To embed the server: shade its jar into the runtime (add it to the shade plugin's artifact set)
 * with a {@code META-INF/services/org.m800.sdk.runtime.EmbeddedServer} entry naming an
 * implementation. The properties it returns become framework properties, so bundles and
 * {@code etc/*.cfg} files (FileInstall substitutes {@code ${...}}) can point clients at it.
 */
public interface EmbeddedServer extends AutoCloseable {

    /** @return a short name for the console, such as {@code M800 reference server} */
    String name();

    /**
     * Starts the server.
     *
     * @param dataDirectory a folder the server may keep its state in
     * @return framework properties to publish, such as {@code m800.server.imServers=ws://127.0.0.1:8800/v1/im}
     * @throws Exception if the server cannot start; the runtime then does not start either
     */
    Map<String, String> start(Path dataDirectory) throws Exception;

    /** Stops the server and frees its ports and threads; reports a failure with an unchecked exception. */
    @Override
    void close();
}
