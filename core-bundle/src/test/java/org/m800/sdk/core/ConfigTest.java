package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class ConfigTest {

    static Map<String, Object> appMap() {
        Map<String, Object> m = new HashMap<>();
        m.put("carrier", "dev.m800");
        m.put("applicationIdentifier", "org.m800.dev");
        m.put("applicationKey", "dev-key");
        m.put("applicationSecret", "dev-secret");
        m.put("developerKey", "dev-developer");
        m.put("applicationVersion", "1.0");
        return m;
    }

    @Test
    public void appMetaFromMapAndSecretsHidden() {
        AppMeta meta = AppMeta.fromMap(appMap());
        assertEquals("dev.m800", meta.carrier());
        assertEquals("dev-secret", meta.applicationSecret());
        assertFalse(meta.toString().contains("dev-secret"));
        assertFalse(meta.toString().contains("dev-developer"));
    }

    @Test
    public void anApplicationIdentifierThatIsNoSingleFolderNameIsRefused() {
        for (String bad : List.of("../../x", "..", ".hidden", "a/b", "a\\b", "com.example chat")) {
            Map<String, Object> m = appMap();
            m.put("applicationIdentifier", bad);
            M800Exception e = assertThrows(bad, M800Exception.class, () -> AppMeta.fromMap(m));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage(), e.getMessage().startsWith("applicationIdentifier '"));
        }
        Map<String, Object> m = appMap();
        m.put("applicationIdentifier", "com.example-chat_2");
        assertEquals("com.example-chat_2", AppMeta.fromMap(m).applicationIdentifier());
    }

    @Test
    public void missingOrBlankAppMetaFieldIsNamed() {
        for (String field : List.of("carrier", "applicationIdentifier", "applicationKey", "applicationSecret",
                "developerKey", "applicationVersion")) {
            Map<String, Object> m = appMap();
            m.put(field, "  ");
            M800Exception e = assertThrows(M800Exception.class, () -> AppMeta.fromMap(m));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage(), e.getMessage().startsWith(field + " "));
            m.remove(field);
            e = assertThrows(M800Exception.class, () -> AppMeta.fromMap(m));
            assertTrue(e.getMessage(), e.getMessage().contains(field));
        }
    }

    @Test
    public void clientConfigFromMapReadsListsAndDurations() {
        Map<String, Object> m = new HashMap<>();
        m.put("clientId", "alice");
        m.put("imServers", "ws://127.0.0.1:1/v1/im, wss://127.0.0.1:2/v1/im");
        m.put("signUpServers", new String[] { "http://127.0.0.1:3" });
        m.put("callServers", List.of("ws://127.0.0.1:4/v1/call"));
        m.put("requestTimeout", "1500ms");
        m.put("connectTimeout", 2000);
        m.put("heartbeatInterval", "PT2S");
        m.put("heartbeatTimeout", "5s");
        m.put("offlineQueueLimit", "7");
        ClientConfig c = ClientConfig.fromMap(m);
        assertEquals("alice", c.clientId());
        assertEquals(List.of(URI.create("ws://127.0.0.1:1/v1/im"), URI.create("wss://127.0.0.1:2/v1/im")), c.imServers());
        assertEquals(List.of(URI.create("http://127.0.0.1:3")), c.signUpServers());
        assertEquals(1, c.callServers().size());
        assertEquals(Duration.ofMillis(1500), c.requestTimeout());
        assertEquals(Duration.ofSeconds(2), c.connectTimeout());
        assertEquals(Duration.ofSeconds(2), c.heartbeatInterval());
        assertEquals(Duration.ofSeconds(5), c.heartbeatTimeout());
        assertEquals(7, c.offlineQueueLimit());
        assertEquals(Duration.ofMillis(ClientConfig.DEFAULT_FEATURE_TIMEOUT_MS), c.featureTimeout());
    }

    @Test
    public void badServerListsAreRefusedWithTheKey() {
        assertMessage("imServers needs at least one", () -> ClientConfig.builder().build());
        assertMessage("imServers has a malformed URI", () -> ClientConfig.builder().imServers("ws://bad host/x").build());
        assertMessage("imServers has 'http://127.0.0.1:1': the scheme must be ws or wss",
                () -> ClientConfig.builder().imServers("http://127.0.0.1:1").build());
        assertMessage("signUpServers has 'ws://127.0.0.1:1': the scheme must be http or https",
                () -> ClientConfig.builder().imServers("ws://127.0.0.1:1").signUpServers("ws://127.0.0.1:1").build());
        assertMessage("a host is required", () -> ClientConfig.builder().imServers("ws:///path").build());
        assertMessage("user information", () -> ClientConfig.builder().imServers("ws://u:p@127.0.0.1:1").build());
    }

    @Test
    public void badSettingsAreRefusedWithTheKey() {
        Map<String, Object> m = new HashMap<>();
        m.put("imServers", "ws://127.0.0.1:1");
        m.put("requestTimeout", "soon");
        assertMessage("requestTimeout has 'soon', which is not a duration", () -> ClientConfig.fromMap(m));
        m.put("requestTimeout", "0");
        assertMessage("requestTimeout must be a positive duration", () -> ClientConfig.fromMap(m));
        m.remove("requestTimeout");
        m.put("clientId", "no spaces allowed");
        assertMessage("clientId 'no spaces allowed' must be", () -> ClientConfig.fromMap(m));
        m.remove("clientId");
        m.put("heartbeatInterval", "30s");
        m.put("heartbeatTimeout", "10s");
        assertMessage("heartbeatTimeout (PT10S) must be longer than heartbeatInterval", () -> ClientConfig.fromMap(m));
    }

    @Test
    public void moduleAndFeatureDefinitionsAreChecked() {
        ModuleFactory f = ctx -> new Object();
        assertMessage("module name 'Bad Name' is not valid", () -> ModuleDefinition.of("Bad Name", f));
        assertMessage("module a depends on itself", () -> ModuleDefinition.of("a", List.of("a"), f));
        assertMessage("module a lists dependency b twice", () -> ModuleDefinition.of("a", List.of("b", "b"), f));
        assertMessage("module a has no factory", () -> ModuleDefinition.of("a", null));
        assertMessage("feature x defines no module", () -> FeatureBundle.of("x", List.of()));
        assertMessage("feature x defines module a twice",
                () -> FeatureBundle.of("x", ModuleDefinition.of("a", f), ModuleDefinition.of("a", f)));
        assertMessage("modules of feature x contains null", () -> FeatureBundle.of("x", (ModuleDefinition) null));
    }

    static void assertMessage(String expected, org.junit.function.ThrowingRunnable r) {
        M800Exception e = assertThrows(M800Exception.class, r);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue("'" + e.getMessage() + "' should contain '" + expected + "'", e.getMessage().contains(expected));
    }
}
