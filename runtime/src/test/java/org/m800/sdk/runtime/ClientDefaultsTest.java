package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ClientDefaultsTest {

    private static final Map<String, String> ENDPOINTS = Map.of("imServers", "ws://127.0.0.1:5/v1/im",
            "signUpServers", "http://127.0.0.1:5", "verificationServers", "http://127.0.0.1:5",
            "callServers", "ws://127.0.0.1:5/v1/call");

    @Test
    public void theDevelopmentApplicationAndTheEndpointsAsM800DefaultsProperties() {
        Map<String, String> p = ClientDefaults.frameworkProperties(ENDPOINTS, "1.2.3", key -> null);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("m800.defaults.carrier", "dev.m800");
        expected.put("m800.defaults.applicationIdentifier", "org.m800.dev");
        expected.put("m800.defaults.applicationKey", "dev-key");
        expected.put("m800.defaults.applicationSecret", "dev-secret");
        expected.put("m800.defaults.developerKey", "dev-developer");
        expected.put("m800.defaults.applicationVersion", "1.2.3");
        expected.put("m800.defaults.imServers", "ws://127.0.0.1:5/v1/im");
        expected.put("m800.defaults.signUpServers", "http://127.0.0.1:5");
        expected.put("m800.defaults.verificationServers", "http://127.0.0.1:5");
        expected.put("m800.defaults.callServers", "ws://127.0.0.1:5/v1/call");
        assertEquals(expected, p);
        assertEquals("published in a stable order", List.copyOf(expected.keySet()), List.copyOf(p.keySet()));
    }

    @Test
    public void withoutServersOnlyTheApplicationIsADefault() {
        Map<String, String> p = ClientDefaults.frameworkProperties(Map.of(), "1.0", key -> null);
        assertEquals(6, p.size());
        assertEquals(null, p.get("m800.defaults.imServers"));
    }

    @Test
    public void aSystemPropertyReplacesADefaultOrAddsOne() {
        Map<String, String> system = Map.of("m800.defaults.applicationKey", "my-key",
                "m800.defaults.imServers", "wss://im.example.com/v1/im");
        Map<String, String> p = ClientDefaults.frameworkProperties(Map.of(), "1.0", system::get);
        assertEquals("my-key", p.get("m800.defaults.applicationKey"));
        assertEquals("wss://im.example.com/v1/im", p.get("m800.defaults.imServers"));
        assertEquals("dev.m800", p.get("m800.defaults.carrier"));
    }
}
