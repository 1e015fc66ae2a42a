package org.m800.sdk.itest;

import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.ObjectName;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.Profile;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;

/**
 * Base of the tests that run against the real reference server. Subclasses run with
 * {@code @RunWith(ReferenceServerRunner.class)}: the runner starts the server in the outer JVM and
 * publishes its URIs as system properties, which {@link #baseConfiguration()} passes into the
 * framework as framework properties; tests read them with {@link #imServer()} and
 * {@link #httpServer()} and stop or start the server with {@link #stopServer()} and
 * {@link #startServer()} (through JMX, so no server class enters the framework).
 */
public abstract class ServerTestSupport extends M800TestSupport {

    /** Property: the server's IM endpoint. */
    static final String PROPERTY_IM = "m800.itest.server.im";
    /** Property: the server's HTTP origin. */
    static final String PROPERTY_HTTP = "m800.itest.server.http";
    /** Property: the ObjectName of the server's {@link OuterServerMBean}. */
    static final String PROPERTY_CONTROL = "m800.itest.server.control";
    /** JMX domain of the server controls. */
    static final String CONTROL_DOMAIN = "org.m800.sdk.itest";

    /** Every test account's password. */
    protected static final String PASSWORD = "correct-horse-battery";

    @Override
    protected Option[] baseConfiguration() {
        return OptionUtils.combine(super.baseConfiguration(),
                frameworkProperty(PROPERTY_IM).value(outerProperty(PROPERTY_IM)),
                frameworkProperty(PROPERTY_HTTP).value(outerProperty(PROPERTY_HTTP)),
                frameworkProperty(PROPERTY_CONTROL).value(outerProperty(PROPERTY_CONTROL)));
    }

    static String outerProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the test class with"
                    + " @RunWith(ReferenceServerRunner.class), which starts the reference server");
        }
        return value;
    }

    private String property(String name) {
        String value = bundleContext.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("framework property " + name + " is not set");
        }
        return value;
    }

    /** @return the IM endpoint of the class's server */
    protected String imServer() {
        return property(PROPERTY_IM);
    }

    /** @return the HTTP origin of the class's server */
    protected String httpServer() {
        return property(PROPERTY_HTTP);
    }

    /**
     * A configuration pointing at the class's server. The reconnect back-off is capped at 1 s so a
     * restarted server is found again quickly. Requests wait up to {@link #TIMEOUT_S} for an answer, as
     * the tests wait for futures: the server hashes each password (PBKDF2) in a cold JVM, which a busy
     * machine makes last more than the default 10 s (a sign-up timed out so while other builds ran).
     */
    protected ClientConfig.Builder serverConfig(String clientId) {
        return config(clientId).imServers(imServer()).signUpServers(httpServer())
                .reconnectMaxDelay(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(TIMEOUT_S));
    }

    /** Creates a client of the class's server, closed after the test, and waits for READY. */
    protected Client serverClient(String clientId) throws InterruptedException {
        Client client = newClient(serverConfig(clientId).build(), List.of());
        awaitReady(client);
        return client;
    }

    /** Records the connection states of that instance of {@code service.connect}, until the end of the test. */
    protected Recorder<ConnectionStateEvent> states(ConnectService connect) {
        Recorder<ConnectionStateEvent> states = new Recorder<>("connection state of " + connect);
        afterTest(connect.onStateChange(states));
        return states;
    }

    /** Waits for a change into {@code state} recorded at or after the mark. */
    protected static ConnectionStateEvent awaitState(Recorder<ConnectionStateEvent> states, int mark,
            ConnectionState state) throws InterruptedException {
        return states.await(mark, "into " + state, e -> e.newState() == state, TIMEOUT_S).value();
    }

    /** Signs a new user up with the client, and waits for its connection to be CONNECTED. */
    protected Profile signUpAndConnect(Client client, String username) throws Exception {
        AccountManager account = client.require(AccountManager.class);
        Recorder<ConnectionStateEvent> states = states(client.require(ConnectService.class));
        Profile profile = await(account.signUp(username, PASSWORD, null), "signUp(" + username + ")");
        awaitState(states, 0, ConnectionState.CONNECTED);
        return profile;
    }

    // ---- the server ---------------------------------------------------------------------

    /** Stops the class's server: every connection to it closes. */
    protected void stopServer() throws Exception {
        invokeControl("stop");
    }

    /** Starts the class's server again, on the same port and data directory. */
    protected void startServer() throws Exception {
        invokeControl("start");
    }

    /** @return whether the class's server is running */
    protected boolean serverRunning() throws JMException {
        return (Boolean) ManagementFactory.getPlatformMBeanServer().getAttribute(control(), "Running");
    }

    private void invokeControl(String operation) throws Exception {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(control(), operation, new Object[0], new String[0]);
        } catch (MBeanException e) {
            throw e.getTargetException();
        }
    }

    private ObjectName control() throws JMException {
        return new ObjectName(property(PROPERTY_CONTROL));
    }
}
