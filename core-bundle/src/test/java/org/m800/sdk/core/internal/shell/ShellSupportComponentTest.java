package org.m800.sdk.core.internal.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.Test;
import org.m800.sdk.core.ClientDirectory;
import org.m800.sdk.core.ClientFactory;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

public class ShellSupportComponentTest {

    private final ClientFactory factory = ClientFactory.standalone();
    private final ClientDirectory directory = new ClientDirectory() {
        @Override
        public Optional<org.m800.sdk.core.Client> find(String clientId) {
            return factory.clients().stream().filter(c -> c.id().equals(clientId)).findFirst();
        }

        @Override
        public List<org.m800.sdk.core.Client> clients() {
            return factory.clients();
        }
    };

    private ShellSupportComponent support(Map<String, String> properties) {
        return new ShellSupportComponent(properties::get, factory, directory);
    }

    @Test
    public void anIdIsTakenFromWhatACommandPrintedInEitherMode() {
        ShellSupportComponent shell = support(Map.of());
        assertEquals("d-1f", shell.id("conversation", "d-1f"));
        assertEquals("d-1f", shell.id("conversation", "conversation d-1f"));
        assertEquals("demo", shell.id("client", "client demo created"));
        assertEquals("m-9", shell.id("message", " message m-9 #3 "));
        assertEquals("d-1f", shell.id("conversation", "{\"conversation\":\"d-1f\",\"seq\":3}"));
        // another kind's line is not unwrapped: it is taken as the id (and the server says it is unknown)
        assertEquals("message m-9", shell.id("conversation", "message m-9"));
        for (String bad : new String[] {"", "  ", "{\"message\":\"m-9\"}", "{not json"}) {
            try {
                shell.id("conversation", bad);
                fail("accepted '" + bad + "'");
            } catch (M800Exception e) {
                assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("conversation"));
            }
        }
    }

    @Test
    public void resultsAreTextOrOneJsonLineWithAStableOrder() {
        ShellSupportComponent shell = support(Map.of());
        assertFalse(shell.json());
        assertEquals("conversation d-1", shell.created("conversation", "d-1"));
        assertEquals("3 contacts", shell.text("3 contacts"));
        shell.json(true);
        assertEquals("{\"conversation\":\"d-1\"}", shell.created("conversation", "d-1"));
        assertEquals("{\"result\":\"line one\\nline two\"}", shell.text("line one\nline two"));
        assertEquals("{\"a\":1,\"b\":\"x\",\"c\":true}", shell.result("t", Map.of("c", true, "a", 1, "b", "x")));
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", 2);
        assertEquals("{\"rows\":[{\"z\":1,\"a\":2}]}", shell.rows("t", "rows", List.of(ordered)));
        assertTrue(support(Map.of(ShellSupportComponent.JSON_PROPERTY, "true")).json());
    }

    @Test
    public void joinKeepsTheFuturesCodeAndTimesOutWithTimeout() throws Exception {
        ShellSupportComponent shell = support(Map.of());
        assertEquals("v", shell.join(CompletableFuture.completedFuture("v")));
        M800Exception cause = new M800Exception(ErrorCode.NOT_FOUND, "no such conversation");
        try {
            shell.join(CompletableFuture.failedFuture(cause));
            fail();
        } catch (M800Exception e) {
            assertEquals(ErrorCode.NOT_FOUND, e.code());
            assertEquals("no such conversation", e.getMessage());
            assertSame(cause, e.getCause());
        }
        try {
            shell.join(new CompletableFuture<>(), Duration.ofMillis(1));
            fail();
        } catch (M800Exception e) {
            assertEquals(ErrorCode.TIMEOUT, e.code());
        }
    }

    @Test
    public void unknownClientsAndDemoClientsWithoutServersAreClearErrors() throws Exception {
        ShellSupportComponent shell = support(Map.of(ShellSupportComponent.DEFAULTS_PREFIX + "carrier", "dev.m800"));
        try {
            shell.client("nobody");
            fail();
        } catch (M800Exception e) {
            assertEquals(ErrorCode.NOT_FOUND, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("nobody"));
        }
        assertEquals(Map.of("carrier", "dev.m800"), shell.defaults());
        try {
            shell.demoClient("demo", java.nio.file.Path.of("unused"), List.of(), "chat");
            fail();
        } catch (M800Exception e) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("m800.defaults.imServers"));
        }
        assertTrue("no client was made", factory.clients().isEmpty());
    }
}
