package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class RuntimeOptionsTest {

    private Path tmp;

    @Before
    public void createFolder() throws IOException {
        tmp = Files.createTempDirectory("m800-options");
    }

    @After
    public void deleteFolder() throws IOException {
        TestFiles.deleteTree(tmp);
    }

    @Test
    public void defaultsLiveUnderTheHomeFolderInTheWorkingDirectory() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse();
        Path home = Path.of("m800-runtime").toAbsolutePath();
        assertEquals(home, o.home());
        assertEquals(home.resolve("deploy"), o.deploy());
        assertEquals(home.resolve("etc"), o.etc());
        assertEquals(home.resolve("felix-cache"), o.storage());
        assertFalse(o.help());
        assertFalse(o.scripted());
        assertNull(o.script());
        assertTrue(o.server());
        assertEquals(0, o.serverPort());
        assertEquals(home.resolve("server-data"), o.serverData());
        assertEquals(Map.of(), o.outsideServers());
    }

    @Test
    public void jsonSwitchesTheShellsOutputAndTakesNoValue() throws Exception {
        assertFalse(RuntimeOptions.parse().json());
        assertTrue(RuntimeOptions.parse("--json").json());
        assertEquals("true", M800Runtime.frameworkProperties(RuntimeOptions.parse("--json"), Map.of())
                .get("m800.shell.json"));
        assertEquals("false", M800Runtime.frameworkProperties(RuntimeOptions.parse(), Map.of()).get("m800.shell.json"));
        try {
            RuntimeOptions.parse("--json=yes");
            org.junit.Assert.fail("--json=yes accepted");
        } catch (UsageException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("--json"));
        }
    }

    @Test
    public void theEmbeddedServerTakesAPortAndADataFolder() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--home", tmp.toString(), "--server-port", "8080", "--server-data=sd");
        assertTrue(o.server());
        assertEquals(8080, o.serverPort());
        assertEquals(Path.of("sd").toAbsolutePath(), o.serverData());
        assertEquals(tmp.resolve("server-data"), RuntimeOptions.parse("--home", tmp.toString()).serverData());
    }

    @Test
    public void serversGiveEveryEndpointOfAReferenceServerAndTurnTheEmbeddedOneOff() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--servers", "http://10.0.0.5:8080, https://m800.example.com/");
        assertFalse(o.server());
        assertEquals(Map.of("imServers", "ws://10.0.0.5:8080/v1/im,wss://m800.example.com/v1/im",
                "signUpServers", "http://10.0.0.5:8080,https://m800.example.com",
                "verificationServers", "http://10.0.0.5:8080,https://m800.example.com",
                "callServers", "ws://10.0.0.5:8080/v1/call,wss://m800.example.com/v1/call"), o.outsideServers());
    }

    @Test
    public void oneEndpointOptionReplacesWhatServersGaveAndAloneTurnsTheEmbeddedServerOff() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--servers=http://a:1", "--im-servers", "ws://b:2/v1/im ws://c:3/v1/im");
        assertEquals("ws://b:2/v1/im,ws://c:3/v1/im", o.outsideServers().get("imServers"));
        assertEquals("http://a:1", o.outsideServers().get("signUpServers"));
        RuntimeOptions alone = RuntimeOptions.parse("--signup-servers", "https://s:443");
        assertFalse(alone.server());
        assertEquals(Map.of("signUpServers", "https://s:443"), alone.outsideServers());
        assertEquals(Map.of("verificationServers", "http://v:1", "callServers", "wss://c:1/v1/call"),
                RuntimeOptions.parse("--verification-servers", "http://v:1", "--call-servers", "wss://c:1/v1/call")
                        .outsideServers());
    }

    @Test
    public void badServerOptionsSayWhatIsWrong() {
        assertMessage("option --server-port needs a port number from 0 (a free port) to 65535, got 'http'",
                "--server-port", "http");
        assertMessage("option --server-port needs a port number from 0 (a free port) to 65535, got '65536'",
                "--server-port", "65536");
        assertMessage("option --server-port configures the embedded server, which --no-server turns off",
                "--no-server", "--server-port", "8080");
        assertMessage("option --server-data configures the embedded server, which --servers or an --*-servers"
                + " option turns off", "--server-data", "d", "--servers", "http://a:1");
        assertMessage("option --servers needs http://host:port or https://host:port URIs, got 'ws://a:1'",
                "--servers", "ws://a:1");
        assertMessage("option --servers needs origins such as http://127.0.0.1:8080 (no path), got 'http://a:1/v1'",
                "--servers", "http://a:1/v1");
        assertMessage("option --im-servers needs ws://host:port or wss://host:port URIs, got 'http://a:1'",
                "--im-servers", "http://a:1");
        assertMessage("option --signup-servers has a malformed URI 'http://a:1/|': Illegal character in path",
                "--signup-servers", "http://a:1/|");
        assertMessage("',' holds no URI", "--servers", ",");
    }

    @Test
    public void validationRefusesAStorageFolderHoldingTheServerData() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--home", tmp.toString(), "--storage", tmp.resolve("s").toString(),
                "--server-data", tmp.resolve("s/data").toString());
        UsageException e = assertThrows(UsageException.class, o::validate);
        assertTrue(e.getMessage(), e.getMessage().contains("would wipe the server data " + tmp.resolve("s/data")));
    }

    @Test
    public void homeMovesTheDefaults() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--home", tmp.toString());
        assertEquals(tmp.resolve("deploy"), o.deploy());
        assertEquals(tmp.resolve("etc"), o.etc());
        assertEquals(tmp.resolve("felix-cache"), o.storage());
    }

    @Test
    public void folderOptionsTakeTheNextArgumentOrAnInlineValue() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--deploy", "d", "--etc=e", "--storage", tmp.resolve("s").toString(),
                "--script=run.gogo", "--no-server");
        assertEquals(Path.of("d").toAbsolutePath(), o.deploy());
        assertEquals(Path.of("e").toAbsolutePath(), o.etc());
        assertEquals(tmp.resolve("s"), o.storage());
        assertEquals("run.gogo", o.script());
        assertTrue(o.scripted());
        assertFalse(o.scriptFromStdin());
        assertFalse(o.server());
    }

    @Test
    public void aDashScriptReadsStandardInput() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--script", "-");
        assertTrue(o.scripted());
        assertTrue(o.scriptFromStdin());
    }

    @Test
    public void helpInBothSpellings() throws Exception {
        assertTrue(RuntimeOptions.parse("--help").help());
        assertTrue(RuntimeOptions.parse("-h").help());
        assertTrue(RuntimeOptions.usage().contains("--script <file>"));
    }

    @Test
    public void badCommandLinesSayWhatIsWrong() {
        assertMessage("unknown option --bogus", "--bogus");
        assertMessage("unknown option --deploy-dir", "--deploy-dir=x");
        assertMessage("option --deploy needs a value", "--deploy");
        assertMessage("option --etc needs a value, got an empty one", "--etc=");
        assertMessage("option --deploy is given twice", "--deploy", "a", "--deploy=b");
        assertMessage("option --help is given twice", "--help", "-h");
        assertMessage("option --no-server takes no value", "--no-server=yes");
        assertMessage("unexpected argument 'lb' (commands go in a --script file)", "lb");
    }

    @Test
    public void validationRejectsAMissingScript() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--home", tmp.toString(), "--script", tmp.resolve("nope.txt").toString());
        UsageException e = assertThrows(UsageException.class, o::validate);
        assertTrue(e.getMessage(), e.getMessage().contains("nope.txt: no such readable file"));
    }

    @Test
    public void validationRefusesAStorageFolderThatWouldWipeOtherFiles() throws Exception {
        Files.writeString(tmp.resolve("precious.txt"), "keep me");
        RuntimeOptions o = RuntimeOptions.parse("--deploy", tmp.resolve("../d").toString(), "--etc",
                tmp.resolve("../e").toString(), "--storage", tmp.toString());
        UsageException e = assertThrows(UsageException.class, o::validate);
        assertTrue(e.getMessage(), e.getMessage().contains("is not empty and is not a framework cache"));
        assertTrue(Files.exists(tmp.resolve("precious.txt")));
    }

    @Test
    public void validationRefusesAStorageFolderHoldingDeployOrEtc() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--home", tmp.toString(), "--storage", tmp.toString());
        UsageException e = assertThrows(UsageException.class, o::validate);
        assertTrue(e.getMessage(), e.getMessage().contains("would wipe " + tmp.resolve("deploy")));
    }

    @Test
    public void validationAcceptsAnEarlierCacheANewAndAnEmptyFolder() throws Exception {
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache.resolve("bundle0"));
        Files.writeString(cache.resolve("bundle0/data"), "x");
        RuntimeOptions.parse("--home", tmp.toString(), "--storage", cache.toString()).validate();
        RuntimeOptions.parse("--home", tmp.toString(), "--storage", tmp.resolve("new").toString()).validate();
        Files.createDirectories(tmp.resolve("empty"));
        RuntimeOptions.parse("--home", tmp.toString(), "--storage", tmp.resolve("empty").toString()).validate();
    }

    @Test
    public void validationRejectsACommaInAWatchedFolder() throws Exception {
        RuntimeOptions o = RuntimeOptions.parse("--home", tmp.toString(), "--deploy", tmp.resolve("a,b").toString());
        UsageException e = assertThrows(UsageException.class, o::validate);
        assertTrue(e.getMessage(), e.getMessage().contains("comma"));
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> RuntimeOptions.parse(args));
        assertEquals(expected, e.getMessage());
    }
}
