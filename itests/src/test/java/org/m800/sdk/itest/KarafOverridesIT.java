package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ClientDiagnostics;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.Profile;
import org.m800.sdk.itest.api.CountingConnect;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.FrameworkUtil;

/**
 * A per-client override in a Karaf {@code etc/*.cfg} file: the client's configuration says
 * {@code overrides = service.connect=carrier-connect}; it waits (not ready, its diagnostics naming the
 * selection) until a carrier's own Karaf feature brings the bundle that provides it, then runs on it.
 * The carrier's features repository is written by the test, as a carrier would write its own, and
 * names the SDK's repository and the itests' carrier connect bundle.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class KarafOverridesIT extends KarafTestSupport {

    private static final String CLIENT = "karaf-carrier";
    private static final String CARRIER_FEATURE = "acme-connect";
    private static final String CARRIER_BSN = "org.m800.sdk.itest.carrier.connect";
    /** Where the outer JVM writes the carrier's features repository; read in Karaf from this property. */
    private static final String PROPERTY_CARRIER_FEATURES = "m800.itest.carrierFeatures";

    @Override
    @Configuration
    public Option[] configuration() {
        List<Option> options = karafWithClients();
        options.addAll(KarafOptions.clientConfiguration(CLIENT,
                Map.of(ClientConfig.OVERRIDES, ConnectService.MODULE + "=carrier-connect")));
        options.add(org.ops4j.pax.exam.CoreOptions.systemProperty(PROPERTY_CARRIER_FEATURES)
                .value(writeCarrierFeatures().toString()));
        return options(options.toArray(Option[]::new));
    }

    /** A carrier's features repository: feature acme-connect = m800-sdk-core + its connect bundle. */
    private static URI writeCarrierFeatures() {
        Path file = KarafOptions.work().resolve("carrier-features.xml");
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <features name="acme-carrier" xmlns="http://karaf.apache.org/xmlns/features/v1.6.0">
                  <repository>%s</repository>
                  <feature name="%s" version="1.0.0" description="ACME's own connection for its clients">
                    <feature>m800-sdk-core</feature>
                    <bundle>%s</bundle>
                  </feature>
                </features>
                """.formatted(KarafOptions.sdkFeatures(), CARRIER_FEATURE, TestBundles.location(TestBundles.CARRIER_CONNECT));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toUri();
    }

    @Test
    public void aCfgFileSelectsTheConnectionOfACarriersFeatureAndTheClientWaitsForIt() throws Exception {
        FeaturesService featuresService = featuresService();
        Client client = awaitService(Client.class, "(" + Client.PROPERTY_CLIENT_ID + "=" + CLIENT + ")");
        assertEquals(Map.of(ConnectService.MODULE, "carrier-connect"), client.config().overrides());
        assertFalse("no fall back to the core's connection", client.isReady());
        ClientDiagnostics diagnostics = client.diagnostics();
        assertTrue(diagnostics.describe(), diagnostics.describe().contains("overrides " + ConnectService.MODULE
                + "=carrier-connect"));
        assertTrue(client.module(ConnectService.class).isEmpty());

        featuresService.addRepository(URI.create(System.getProperty(PROPERTY_CARRIER_FEATURES)));
        featuresService.installFeature(CARRIER_FEATURE, NO_REFRESH);
        awaitReady(client);
        ConnectService connect = client.require(ConnectService.class);
        assertEquals("the client runs on the carrier's connection", CARRIER_BSN,
                FrameworkUtil.getBundle(connect.getClass()).getSymbolicName());

        Profile profile = await(client.require(AccountManager.class).signUp("karaf-carrier-user", PASSWORD, null),
                "signUp");
        CountingConnect counting = client.require(CountingConnect.class);
        assertEquals(List.of(profile.userId()), counting.startedFor());
        assertEquals(ConnectionState.CONNECTED, counting.state());
        assertEquals(CountingConnect.LOCAL_DISPLAY_NAME,
                await(client.require(AccountManager.class).fetchProfile(), "fetchProfile").displayName());
    }
}
