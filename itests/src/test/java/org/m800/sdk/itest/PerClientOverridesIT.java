package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Hashtable;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.Profile;
import org.m800.sdk.itest.api.CountingConnect;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Overrides chosen per client in its configuration ({@link ClientConfig#overrides()}): two clients of
 * one framework take {@code service.connect} from different bundles, whatever the rankings; a client
 * whose selected bundle is absent waits for it and falls back to nothing.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class PerClientOverridesIT extends ServerTestSupport {

    private static final String CARRIER_BSN = "org.m800.sdk.itest.carrier.connect";
    private static final String LOOPBACK_BSN = "org.m800.sdk.itest.loopback";

    /** @return the symbolic name of the bundle the client's service.connect comes from */
    private static String connectFrom(Client client) {
        ConnectService connect = client.module(ConnectService.class).orElseThrow(
                () -> new AssertionError("no service.connect:\n" + client.diagnostics().describe()));
        Bundle bundle = FrameworkUtil.getBundle(connect.getClass());
        return bundle == null ? "(class path)" : bundle.getSymbolicName();
    }

    @Test
    public void twoClientsTakeTheirConnectionFromDifferentBundlesAndTheSelectedOneIsWaitedFor() throws Exception {
        Bundle carrier = installAndStart(TestBundles.CARRIER_CONNECT);
        Client a = newClient(serverConfig("per-client-a").override(ConnectService.MODULE, "carrier-connect").build(),
                List.of());
        Events aEvents = events(a);
        awaitReady(a);
        Client b = serverClient("per-client-b");
        Events bEvents = events(b);
        assertEquals("a takes the carrier's connection, ranked -10", CARRIER_BSN, connectFrom(a));
        assertEquals("b keeps the core's", CORE_BSN, connectFrom(b));

        // both work: b against the real server, a through the carrier's connection
        Profile bob = signUpAndConnect(b, "per-client-bob");
        AccountManager aAccount = a.require(AccountManager.class);
        Profile ann = await(aAccount.signUp("per-client-ann", PASSWORD, "Ann"), "signUp of a");
        CountingConnect aConnect = a.require(CountingConnect.class);
        assertEquals(List.of(ann.userId()), aConnect.startedFor());
        assertEquals(ConnectionState.CONNECTED, aConnect.state());
        assertEquals(CountingConnect.LOCAL_DISPLAY_NAME, await(aAccount.fetchProfile(), "a's profile").displayName());
        assertEquals("bob's profile from the real server", bob.userId(),
                await(b.require(AccountManager.class).fetchProfile(), "b's profile").userId());

        // a higher-ranked third provider changes b only
        int aMark = aEvents.mark();
        int bMark = bEvents.mark();
        Bundle loopback = installAndStart(TestBundles.LOOPBACK);
        bEvents.await(bMark, ClientEvent.FEATURE_READY, FeatureBundle.CORE, TIMEOUT_S);
        assertEquals("b takes the ranking-10 loopback", LOOPBACK_BSN, connectFrom(b));
        assertSame("a keeps its instance", aConnect, a.require(ConnectService.class));
        assertEquals(0, aConnect.closeCount());
        assertEquals(0, aEvents.count(aMark, ClientEvent.FEATURE_UNAVAILABLE, FeatureBundle.CORE));
        bMark = bEvents.mark();
        loopback.uninstall();
        bEvents.await(bMark, ClientEvent.FEATURE_READY, FeatureBundle.CORE, TIMEOUT_S);
        assertEquals("b is back on the core's connection", CORE_BSN, connectFrom(b));
        awaitState(states(b.require(ConnectService.class)), 0, ConnectionState.CONNECTED);

        // the selected bundle stops: a waits, says what for, and uses no other connection
        aMark = aEvents.mark();
        carrier.stop();
        aEvents.await(aMark, ClientEvent.FEATURE_UNAVAILABLE, FeatureBundle.CORE, TIMEOUT_S);
        assertEquals(1, aConnect.closeCount());
        assertFalse(a.isReady());
        assertTrue("no fall back to the core's connection", a.module(ConnectService.class).isEmpty());
        ClientDiagnostics diagnostics = a.diagnostics();
        assertEquals(diagnostics.describe(), ClientDiagnostics.ModuleState.PENDING,
                diagnostics.module(ConnectService.MODULE).state());
        assertTrue(diagnostics.describe(), diagnostics.describe().contains(
                "overrides " + ConnectService.MODULE + "=carrier-connect"));
        assertTrue("b is not disturbed", b.isReady());
        assertEquals(CORE_BSN, connectFrom(b));

        // it starts again: a is ready again on it, still logged in
        aMark = aEvents.mark();
        carrier.start();
        aEvents.await(aMark, ClientEvent.READY, a, TIMEOUT_S);
        CountingConnect again = a.require(CountingConnect.class);
        assertNotSame(aConnect, again);
        assertEquals(CARRIER_BSN, connectFrom(a));
        assertTrue(a.require(AccountManager.class).isLoggedIn());
        assertEquals("the stored session started the new connection", List.of(ann.userId()), again.startedFor());
    }

    @Test
    public void aFilterOverServicePropertiesSelectsTheProvider() throws Exception {
        installAndStart(TestBundles.CARRIER_CONNECT);
        installAndStart(TestBundles.LOOPBACK);
        Client client = newClient(serverConfig("per-client-filter").override(ConnectService.MODULE, "(vendor=acme)")
                .build(), List.of());
        awaitReady(client);
        assertEquals(CARRIER_BSN, connectFrom(client));
    }

    @Test
    public void aConfigurationEditedFromOneOverrideToAnotherReplacesTheModule() throws Exception {
        installAndStart(TestBundles.CARRIER_CONNECT);
        installAndStart(TestBundles.LOOPBACK);
        Hashtable<String, Object> properties = configurationProperties("per-client-cfg");
        properties.put(ClientConfig.OVERRIDES, ConnectService.MODULE + "=carrier-connect");
        ConfigurationAdmin admin = awaitService(ConfigurationAdmin.class, null);
        Configuration configuration = admin.getFactoryConfiguration("org.m800.sdk.client", "per-client-cfg", "?");
        afterTest(() -> {
            try {
                configuration.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test
            }
        });
        configuration.update(properties);
        String filter = "(" + Client.PROPERTY_CLIENT_ID + "=per-client-cfg)";
        Client first = awaitService(Client.class, filter);
        awaitReady(first);
        assertEquals("selected over the ranking-10 loopback", CARRIER_BSN, connectFrom(first));

        properties.put(ClientConfig.OVERRIDES, ConnectService.MODULE + "=(" + FeatureBundle.PROPERTY_FEATURE + "=loopback)");
        configuration.update(properties);
        waitUntil("the first client is closed", first::isClosed, TIMEOUT_S);
        Client second = awaitService(Client.class, filter);
        awaitReady(second);
        assertEquals(LOOPBACK_BSN, connectFrom(second));
        assertEquals("(m800.feature=loopback)", second.config().overrides().get(ConnectService.MODULE));

        // a value that does not parse: no client, and the log names the key
        try (LogCapture log = new LogCapture()) {
            properties.put(ClientConfig.OVERRIDES, ConnectService.MODULE + "=(vendor=acme");
            configuration.update(properties);
            waitUntil("the second client is closed", second::isClosed, TIMEOUT_S);
            waitUntil("a log line names the key " + ClientConfig.OVERRIDES,
                    () -> log.text().contains("does not create a client: " + ClientConfig.OVERRIDES), TIMEOUT_S);
            assertTrue("no Client service for the bad configuration", services(Client.class, filter).isEmpty());
        }
    }

    private Hashtable<String, Object> configurationProperties(String clientId) {
        Hashtable<String, Object> p = new Hashtable<>();
        AppMeta meta = appMeta();
        p.put(AppMeta.CARRIER, meta.carrier());
        p.put(AppMeta.APPLICATION_IDENTIFIER, meta.applicationIdentifier());
        p.put(AppMeta.APPLICATION_KEY, meta.applicationKey());
        p.put(AppMeta.APPLICATION_SECRET, meta.applicationSecret());
        p.put(AppMeta.DEVELOPER_KEY, meta.developerKey());
        p.put(AppMeta.APPLICATION_VERSION, meta.applicationVersion());
        p.put(ClientConfig.CLIENT_ID, clientId);
        p.put(ClientConfig.IM_SERVERS, imServer());
        p.put(ClientConfig.DATA_DIRECTORY, config(clientId).build().dataDirectory().toString());
        return p;
    }
}
