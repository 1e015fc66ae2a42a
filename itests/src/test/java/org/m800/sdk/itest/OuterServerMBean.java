package org.m800.sdk.itest;

import java.io.IOException;

/**
 * How tests inside the framework drive the {@link OuterServer} of their class: through the platform
 * MBean server, with JDK types only, so no class of the server ever crosses into the framework.
 * {@link ServerTestSupport#stopServer()} and {@link ServerTestSupport#startServer()} call it.
 */
public interface OuterServerMBean {

    /** @return the IM endpoint, {@code ws://127.0.0.1:<port>/v1/im} */
    String getImUri();

    /** @return the HTTP origin, {@code http://127.0.0.1:<port>} */
    String getHttpUri();

    /** @return the port, which stays the same across {@link #stop()} and {@link #start()} */
    int getPort();

    /** @return whether a server is running */
    boolean isRunning();

    /** Stops the server (every connection closes); its data directory stays. Idempotent. */
    void stop();

    /** Starts a new server on the same port and the same data directory. Idempotent. */
    void start() throws IOException;
}
