package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.AppMeta;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Clients created, and refused, through a Configuration Admin factory configuration. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigAdminIT extends M800TestSupport {

    private static final String FACTORY_PID = "org.m800.sdk.client";

    private static Hashtable<String, Object> properties(String clientId, String imServers) {
        Hashtable<String, Object> p = new Hashtable<>();
        AppMeta meta = appMeta();
        p.put(AppMeta.CARRIER, meta.carrier());
        p.put(AppMeta.APPLICATION_IDENTIFIER, meta.applicationIdentifier());
        p.put(AppMeta.APPLICATION_KEY, meta.applicationKey());
        p.put(AppMeta.APPLICATION_SECRET, meta.applicationSecret());
        p.put(AppMeta.DEVELOPER_KEY, meta.developerKey());
        p.put(AppMeta.APPLICATION_VERSION, meta.applicationVersion());
        p.put(ClientConfig.CLIENT_ID, clientId);
        p.put(ClientConfig.IM_SERVERS, imServers);
        p.put(ClientConfig.DATA_DIRECTORY, config(clientId).build().dataDirectory().toString());
        p.put(ClientConfig.REQUEST_TIMEOUT, "5s");
        return p;
    }

    private Configuration factoryConfiguration(String name, Dictionary<String, Object> properties) throws Exception {
        ConfigurationAdmin admin = awaitService(ConfigurationAdmin.class, null);
        Configuration configuration = admin.getFactoryConfiguration(FACTORY_PID, name, "?");
        afterTest(() -> {
            try {
                configuration.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted by the test
            }
        });
        configuration.update(properties);
        return configuration;
    }

    private static String clientFilter(String clientId) {
        return "(" + Client.PROPERTY_CLIENT_ID + "=" + clientId + ")";
    }

    @Test
    public void aFactoryConfigurationMakesAReadyClientAndDeletingItClosesTheClient() throws Exception {
        Configuration configuration = factoryConfiguration("itest-1", properties("cfg-1", IM_SERVER));
        Client client = awaitService(Client.class, clientFilter("cfg-1"));
        awaitReady(client);
        assertEquals("cfg-1", client.id());
        assertEquals(appMeta(), client.appMeta());
        assertEquals(IM_SERVER, client.config().imServers().get(0).toString());
        assertEquals(java.time.Duration.ofSeconds(5), client.config().requestTimeout());
        assertTrue("the client has core: " + client.diagnostics().describe(), client.module("service.storage").isPresent());

        configuration.delete();
        waitUntil("the Client service leaves", () -> services(Client.class, clientFilter("cfg-1")).isEmpty(), TIMEOUT_S);
        waitUntil("the client is closed", client::isClosed, TIMEOUT_S);
    }

    @Test
    public void changingTheConfigurationReplacesTheClientWithOneOfTheNewSettings() throws Exception {
        Hashtable<String, Object> properties = properties("cfg-change", IM_SERVER);
        Configuration configuration = factoryConfiguration("itest-change", properties);
        Client first = awaitService(Client.class, clientFilter("cfg-change"));
        awaitReady(first);
        assertEquals(java.time.Duration.ofSeconds(5), first.config().requestTimeout());

        // what a Karaf user does by editing etc/org.m800.sdk.client-<name>.cfg
        properties.put(ClientConfig.REQUEST_TIMEOUT, "7s");
        configuration.update(properties);
        // its service is withdrawn before it is closed, so what is registered from then on is the new one
        waitUntil("the first client is closed", first::isClosed, TIMEOUT_S);
        Client second = awaitService(Client.class, clientFilter("cfg-change"));
        awaitReady(second);
        assertTrue("the replacement is a new client", second != first && !second.isClosed());
        assertEquals(java.time.Duration.ofSeconds(7), second.config().requestTimeout());
        assertEquals("one Client service for the configuration", 1, services(Client.class, clientFilter("cfg-change")).size());
        assertEquals("the same data folder", first.config().dataDirectory(), second.config().dataDirectory());
    }

    @Test
    public void aConfigurationWithABadValueMakesNoClientAndNamesTheField() throws Exception {
        String badUri = "ws://127.0.0.1:9/v1/%zz";
        LogCapture capture = new LogCapture();
        try {
            factoryConfiguration("itest-bad", properties("cfg-bad", badUri));
            // sync point: configurations are delivered in order, so once a later good one has made
            // its client, the bad one has been handled
            factoryConfiguration("itest-good", properties("cfg-good", IM_SERVER));
            awaitReady(awaitService(Client.class, clientFilter("cfg-good")));
            assertTrue("no Client service for the bad configuration",
                    services(Client.class, clientFilter("cfg-bad")).isEmpty());
            assertTrue("no open client for the bad configuration",
                    clientFactory().clients().stream().noneMatch(c -> c.id().equals("cfg-bad")));
            waitUntil("a log line names the bad field " + ClientConfig.IM_SERVERS, () -> {
                String out = capture.text();
                return out.contains(ClientConfig.IM_SERVERS) && out.contains("%zz");
            }, TIMEOUT_S);
            assertTrue("the secret is never logged", !capture.text().contains(appMeta().applicationSecret()));
        } finally {
            capture.close();
        }
    }
}
