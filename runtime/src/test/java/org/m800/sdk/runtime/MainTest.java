package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The command-line paths of {@link Main} that end before a framework starts. */
public class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    public void helpPrintsTheUsageAndSucceeds() {
        assertEquals(Main.EXIT_OK, main.run("--help"));
        assertTrue(text(out), text(out).startsWith("Usage: java -jar m800-runtime.jar [options]"));
        assertEquals("", text(err));
    }

    @Test
    public void aBadOptionIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, main.run("--deploy"));
        assertTrue(text(err), text(err).contains("m800-runtime: option --deploy needs a value"));
        assertTrue(text(err), text(err).contains("--help"));
    }

    @Test
    public void aMissingScriptIsAUsageError() {
        assertEquals(Main.EXIT_USAGE, main.run("--script", "/no/such/script.gogo"));
        assertTrue(text(err), text(err).contains("/no/such/script.gogo: no such readable file"));
    }

    @Test
    public void aTakenServerPortIsAStartupErrorThatSaysSo() throws Exception {
        java.nio.file.Path home = java.nio.file.Files.createTempDirectory("m800-main");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertEquals(Main.EXIT_STARTUP, main.run("--home", home.toString(), "--server-port",
                    Integer.toString(taken.getLocalPort()), "--script", "-"));
            assertTrue(text(err), text(err).contains("m800-runtime: startup failed: M800 reference server did not start on"
                    + " 127.0.0.1:" + taken.getLocalPort()));
            assertTrue(text(err), text(err).contains("(the port is taken; --server-port 0 picks a free one)"));
        } finally {
            TestFiles.deleteTree(home);
        }
    }

    @Test
    public void theReadyMessageNamesTheServersClientsUse() throws Exception {
        RuntimeOptions none = RuntimeOptions.parse("--no-server");
        assertEquals(String.format("  servers: none (--no-server); give them to m800:create, such as"
                + " imServers=ws://host:port/v1/im signUpServers=http://host:port%n"),
                Main.describeServers(none, List.of(), Map.of(), 0));
        RuntimeOptions outside = RuntimeOptions.parse("--servers", "http://a:1");
        String text = Main.describeServers(outside, List.of(), outside.outsideServers(), 0);
        assertTrue(text, text.contains(String.format("  imServers:           ws://a:1/v1/im%n")));
        assertTrue(text, text.contains(String.format("  callServers:         ws://a:1/v1/call%n")));
    }

    @Test
    public void describeNamesTheExceptionAndItsCauses() {
        assertEquals("IllegalStateException: outer; caused by IllegalArgumentException: inner",
                Main.describe(new IllegalStateException("outer", new IllegalArgumentException("inner"))));
    }

    @Test
    public void anExceptionRethrownWithTheSameMessageIsSaidOnce() {
        IllegalStateException inner = new IllegalStateException("no client bob", new IllegalArgumentException("why"));
        assertEquals("IllegalStateException: no client bob; caused by IllegalArgumentException: why",
                Main.describe(new IllegalStateException("no client bob", inner)));
    }

    @Test
    public void exitAndQuitAreRecognised() {
        for (String line : new String[] {"exit", " quit ", "runtime:exit", "runtime:quit"}) {
            assertTrue(line, RuntimeCommands.isExit(line));
        }
        assertTrue(!RuntimeCommands.isExit("exit 0") && !RuntimeCommands.isExit("echo exit"));
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
