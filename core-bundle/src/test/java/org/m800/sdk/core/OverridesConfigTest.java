package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The {@code overrides} key of a client configuration: its formats and how a bad value is refused. */
public class OverridesConfigTest {

    private static Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>();
        m.put(ClientConfig.CLIENT_ID, "alice");
        m.put(ClientConfig.IM_SERVERS, "ws://127.0.0.1:1/v1/im");
        return m;
    }

    private static ClientConfig read(Object overrides) {
        Map<String, Object> m = base();
        m.put(ClientConfig.OVERRIDES, overrides);
        return ClientConfig.fromMap(m);
    }

    @Test
    public void noOverridesByDefault() {
        assertEquals(Map.of(), ClientConfig.fromMap(base()).overrides());
        assertEquals(Map.of(), ClientConfig.builder().imServers("ws://h/im").build().overrides());
    }

    @Test
    public void oneStringSplitsAtCommasOutsideParentheses() {
        ClientConfig c = read(" service.connect = carrier-connect , media=(&(vendor=acme)(|(tier=a,b)(x=y)))");
        assertEquals(List.of("service.connect", "media"), List.copyOf(c.overrides().keySet()));
        assertEquals("carrier-connect", c.overrides().get("service.connect"));
        assertEquals("(&(vendor=acme)(|(tier=a,b)(x=y)))", c.overrides().get("media"));
    }

    @Test
    public void arraysCollectionsAndTheBuilderGiveTheSame() {
        Map<String, String> expected = Map.of("service.connect", "carrier-connect", "media", "(vendor=acme)");
        assertEquals(expected, read(new String[] { "service.connect=carrier-connect", "media=(vendor=acme)" }).overrides());
        assertEquals(expected, read(List.of("service.connect=carrier-connect", "media=(vendor=acme)")).overrides());
        ClientConfig built = ClientConfig.builder().imServers("ws://h/im").override("service.connect", "carrier-connect")
                .override("media", "(vendor=acme)").build();
        assertEquals(expected, built.overrides());
        assertEquals(expected, built.toBuilder().build().overrides());
        assertTrue(built.toString(), built.toString().contains("overrides={service.connect=carrier-connect"));
    }

    @Test
    public void badValuesAreRefusedNamingTheKey() {
        for (Object bad : List.of("service.connect", "=carrier", "Service.Connect=carrier", "media=(vendor=acme",
                "media=(vendor=acme))", "media=(vendor)", "media=Not A Feature", "media=", "a=b, a=c")) {
            M800Exception e = assertThrows(String.valueOf(bad), M800Exception.class, () -> read(bad));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage(), e.getMessage().startsWith(ClientConfig.OVERRIDES + " "));
        }
    }

    @Test
    public void theDeprecatedConstructorHasNoOverrides() {
        ClientConfig c = ClientConfig.builder().imServers("ws://h/im").build();
        @SuppressWarnings("deprecation")
        ClientConfig old = new ClientConfig(c.clientId(), c.imServers(), c.signUpServers(), c.verificationServers(),
                c.callServers(), c.dataDirectory(), c.requestTimeout(), c.connectTimeout(), c.heartbeatInterval(),
                c.heartbeatTimeout(), c.reconnectMinDelay(), c.reconnectMaxDelay(), c.offlineQueueLimit(),
                c.featureTimeout(), c.trustStore(), c.trustStorePassword());
        assertEquals(c, old);
    }
}
