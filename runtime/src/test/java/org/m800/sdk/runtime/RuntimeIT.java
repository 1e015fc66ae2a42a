package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.m800.server.ReferenceServer;

/** The packaged runtime jar, started with {@code java -jar} in a separate process. */
public class RuntimeIT {

    /** How long one run of the runtime may take, start to exit. */
    private static final long TIMEOUT_SECONDS = 90;

    /** A bundle row of Gogo's {@code lb}: id, state, level, name. */
    private static final Pattern LB_ROW = Pattern.compile("(?m)^\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*\\d+\\|(.*)$");

    /** The application metadata of a client, as key=value arguments of m800:create. */
    private static final String APP_META = "carrier=m800.example applicationIdentifier=com.example.it"
            + " applicationKey=key applicationSecret=s3cret developerKey=dev applicationVersion=1.0";

    /** The commands of scope m800 of all the SDK's bundles. */
    private static final List<String> SDK_COMMANDS = List.of(
            // core
            "create", "clients", "status", "add", "remove", "await", "unavailable", "events", "close", "signup",
            "login", "logout", "whoami", "connection", "json",
            // chat
            "chatopen", "chatsend", "chats", "chathistory", "chatdemo",
            // contacts
            "contacts", "contactadd", "contactremove", "contactalias", "contactrefresh", "block", "unblock",
            "blocked", "presence", "presencesub", "presenceunsub", "presenceget", "lastseen", "contactmatch",
            "userfind", "usersearch", "discoverable",
            // verification
            "verify", "verifycheck", "verifyresend", "verifycancel", "verifystatus", "verifyoutbox", "verifysignup",
            "phoneattach", "phoneremove", "phones",
            // file
            "fileupload", "filedownload", "filetransfers", "filepause", "fileresume", "filecancel", "fileshare",
            "filedemo",
            // call
            "call", "answer", "hangup", "hold", "resume", "dtmf", "calls", "callstats", "calllog", "calldemo");

    private Path tmp;
    private Path deploy;
    private Path etc;
    private Path storage;

    @Before
    public void createFolders() throws IOException {
        tmp = Files.createTempDirectory("m800-runtime-it");
        deploy = tmp.resolve("deploy");
        etc = tmp.resolve("etc");
        storage = tmp.resolve("storage");
    }

    @After
    public void deleteFolders() throws IOException {
        TestFiles.deleteTree(tmp);
    }

    @Test
    public void scriptModeStartsEveryBundleAndRunsTheCommands() throws Exception {
        // FileInstall scans deploy/ once, synchronously, while the runtime starts: this bundle is active at READY
        TestFiles.bundle(deploy.resolve("it-deployed.jar"), "it.deployed");
        Path script = script("# list the bundles", "", "lb", "   # indented comment", "echo script-done");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, out.contains("M800 runtime ready: Felix 7.0.5 started at t+"));
            assertTrue(out, out.contains(Main.PROMPT + "lb"));
            assertTrue(out, out.contains(Main.PROMPT + "echo script-done" + System.lineSeparator() + "script-done"));
            assertTrue(out, out.contains("m800-runtime: script done, 2 commands"));
            assertFalse("comments are not run: " + out, out.contains("indented comment"));

            List<String> names = new ArrayList<>();
            Matcher row = LB_ROW.matcher(out);
            while (row.find()) {
                assertEquals("every bundle is active: " + row.group(), "Active", row.group(2));
                names.add(row.group(3));
            }
            for (String expected : List.of("System Bundle", "M800 SDK core", "Apache Felix Declarative Services",
                    "Apache Felix Configuration Admin Service", "Apache Felix File Install", "Apache Felix Gogo Shell",
                    "Apache Aries SPI Fly Dynamic Weaving Bundle", "SLF4J API Module", "SLF4J Simple Provider",
                    "org.objectweb.asm ", "org.osgi:org.osgi.service.component", "it.deployed")) {
                assertTrue(expected + " in " + names, names.stream().anyMatch(n -> n.startsWith(expected)));
            }
            int embedded = EmbeddedBundles.list().size();
            assertEquals("system bundle, " + embedded + " embedded, 1 deployed: " + names, embedded + 2, names.size());
        }
        assertTrue("the storage is the one given", Files.isDirectory(storage.resolve("bundle0")));
    }

    @Test
    public void aRestartReusesTheBundleCacheAndStillStartsAfresh() throws Exception {
        TestFiles.bundle(deploy.resolve("it-deployed.jar"), "it.deployed");
        Path script = script("lb");
        List<String> first;
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(runtime.output(), Main.EXIT_OK, status);
            first = bundleLines(runtime.output());
        }
        assertTrue(first.toString(), first.stream().anyMatch(l -> l.contains("it.deployed")));
        assertTrue("the cache is kept", Files.isRegularFile(storage.resolve(BundleCache.INDEX)));
        Files.delete(deploy.resolve("it-deployed.jar"));

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(runtime.output(), Main.EXIT_OK, status);
            List<String> second = bundleLines(runtime.output());
            // the same bundles with the same ids (not installed again), all active; the deployed one is gone
            assertEquals(first.stream().filter(l -> !l.contains("it.deployed")).toList(), second);
        }
    }

    /** The lines of {@code lb} output that list a bundle: {@code id|State|Level|Name}. */
    private static List<String> bundleLines(String output) {
        return output.lines().filter(l -> l.matches("\\s*\\d+\\|\\w+\\s*\\|.*")).map(String::strip).toList();
    }

    @Test
    public void aClientCreatedFromTheShellBecomesReady() throws Exception {
        Path script = script("m800:create demo " + APP_META + " imServers=ws://127.0.0.1:1/v1/im dataDirectory="
                + tmp.resolve("clients/demo"), "m800:await demo core 30", "m800:status demo");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, out.contains("feature core ready"));
            assertTrue(out, out.contains("client demo READY"));
            assertFalse("no secret in the output: " + out, out.replace(APP_META, "").contains("s3cret"));
        }
    }

    @Test
    public void aClientConfiguredInEtcBecomesReady() throws Exception {
        Files.createDirectories(etc);
        Files.write(etc.resolve("org.m800.sdk.client-fromcfg.cfg"), List.of("clientId=fromcfg",
                APP_META.replace(' ', '\n'), "imServers=ws://127.0.0.1:1/v1/im",
                "dataDirectory=" + tmp.resolve("clients/fromcfg")), StandardCharsets.UTF_8);
        // FileInstall reads etc/ while the runtime starts, but the client comes up later, on a CM thread
        Path script = script("runtime:waitfor \"(m800.client.id=fromcfg)\" 30", "m800:await fromcfg core 30");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, out.contains("feature core ready"));
        }
    }

    @Test
    public void aShellClientSignsUpAndConnectsToTheEmbeddedServerWhoseAccountsOutliveTheRun() throws Exception {
        Path serverData = tmp.resolve("server-data");
        Path script = script("m800:create demo dataDirectory=" + tmp.resolve("clients/demo"),
                "m800:signup demo alice secret-password", "m800:connection demo CONNECTED 20", "m800:whoami demo",
                "m800:verifyoutbox demo");
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--server-data", serverData.toString(),
                "--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            Matcher server = Pattern.compile("  server:  M800 reference server at http://127\\.0\\.0\\.1:(\\d+), started in"
                    + " \\d+ ms; data " + Pattern.quote(serverData.toString())).matcher(out);
            assertTrue(out, server.find());
            assertTrue("the development mode is said at start: " + out,
                    out.contains("  NOTE:    " + ReferenceServerEmbedding.DEVELOPMENT_NOTICE));
            String port = server.group(1);
            assertTrue(out, out.contains("  imServers:           ws://127.0.0.1:" + port + "/v1/im"));
            assertTrue(out, out.contains("  signUpServers:       http://127.0.0.1:" + port));
            assertTrue(out, out.contains("  callServers:         ws://127.0.0.1:" + port + "/v1/call"));
            assertTrue(out, out.contains("client demo created"));
            assertTrue(out, Pattern.compile("user u-\\S+ signed up and logged in as alice").matcher(out).find());
            assertTrue(out, out.contains(Main.PROMPT + "m800:connection demo CONNECTED 20" + System.lineSeparator()
                    + "CONNECTED"));
            assertTrue(out, Pattern.compile("(?m)^alice \\(.+\\) \"alice\" status \".*\", connection CONNECTED$")
                    .matcher(out).find());
            // the embedded server's development outbox is on (a standalone server's is off by default)
            assertTrue(out, out.contains("the outbox is empty"));
            assertTrue(out, out.contains("m800-runtime: script done, 5 commands"));
            assertFalse("no secret in the output: " + out, out.contains("dev-secret"));
            assertFalse("no password beyond the echoed command: " + out,
                    out.replace("m800:signup demo alice secret-password", "").contains("secret-password"));
        }
        assertTrue(Files.exists(serverData.resolve("m800.mv.db")));

        // the next run: a new server on the same data knows alice
        Path again = script("m800:create demo2 dataDirectory=" + tmp.resolve("clients/demo2"),
                "m800:login demo2 alice secret-password", "m800:connection demo2 CONNECTED 20", "m800:whoami demo2");
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--server-data", serverData.toString(),
                "--script", again.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, Pattern.compile("user u-\\S+ logged in as alice").matcher(out).find());
            assertTrue(out, out.contains("connection CONNECTED"));
        }
    }

    @Test
    public void withNoServerACreateWithoutServersFailsClearly() throws Exception {
        Path script = script("m800:create demo dataDirectory=" + tmp.resolve("clients/demo"));
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--no-server", "--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_SCRIPT_FAILED, status);
            assertTrue(out, out.contains("  servers: none (--no-server); give them to m800:create"));
            assertFalse(out, out.contains("M800 reference server"));
            assertTrue(out, out.contains("m800-runtime: script line 1 failed: m800:create demo"));
            assertTrue(out, out.contains("imServers needs at least one server URI"));
        }
        assertFalse("no server, no server data", Files.exists(tmp.resolve("m800-runtime/server-data")));
    }

    @Test
    public void serversPointClientsAtAnOutsideServerInsteadOfTheEmbeddedOne() throws Exception {
        try (ReferenceServer outside = ReferenceServer.builder().port(0).dataDirectory(tmp.resolve("outside")).build()
                .start()) {
            String origin = outside.httpUri().toString();
            Path script = script("m800:create demo dataDirectory=" + tmp.resolve("clients/demo"),
                    "m800:signup demo bob secret-password Bob Outside", "m800:connection demo CONNECTED 20",
                    "m800:whoami demo");
            try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--servers", origin, "--script",
                    script.toString()))) {
                int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                String out = runtime.output();
                assertEquals(out, Main.EXIT_OK, status);
                assertFalse(out, out.contains("M800 reference server at"));
                assertTrue(out, out.contains("  imServers:           " + outside.imUri()));
                assertTrue(out, out.contains("  signUpServers:       " + origin));
                assertTrue(out, out.contains("\"Bob Outside\""));
                assertTrue(out, out.contains("connection CONNECTED"));
            }
        }
        assertFalse("no embedded server", Files.exists(tmp.resolve("m800-runtime/server-data")));
    }

    @Test
    public void theFileDemoSharesAnImageBetweenTwoUsersOfTheEmbeddedServer() throws Exception {
        Path script = script("m800:filedemo");
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, Pattern.compile("(?m)^bob received: sunset\\.png \\(image/png, \\d+ bytes, 1280x720\\) file \\S+"
                    + " thumbnail \\S+ \"the view from here\"$").matcher(out).find());
            assertTrue(out, out.contains("bob's thumbnail, fetched by itself: "));
            assertTrue(out, Pattern.compile("(?m)^bob downloaded \\d+ bytes to .*, SHA-256 [0-9a-f]{64} verified$")
                    .matcher(out).find());
        }
    }

    @Test
    public void anEtcConfigurationRefersToTheDefaults() throws Exception {
        Files.createDirectories(etc);
        List<String> lines = new ArrayList<>(List.of("clientId=cfgdefaults",
                "dataDirectory=" + tmp.resolve("clients/cfgdefaults")));
        for (String key : ClientDefaults.KEYS) {
            lines.add(key + "=${m800.defaults." + key + "}");
        }
        lines.remove("dataDirectory=" + tmp.resolve("clients/cfgdefaults"));
        Files.write(etc.resolve("org.m800.sdk.client-cfgdefaults.cfg"), lines, StandardCharsets.UTF_8);
        Path script = script("runtime:waitfor \"(m800.client.id=cfgdefaults)\" 30", "m800:await cfgdefaults core 30",
                "m800:signup cfgdefaults carol secret-password", "m800:connection cfgdefaults CONNECTED 20");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, Pattern.compile("user u-\\S+ signed up and logged in as carol").matcher(out).find());
        }
        assertTrue("a configured client without dataDirectory keeps its data under --home",
                Files.isDirectory(home().resolve("clients/cfgdefaults")));
    }

    @Test
    public void everyCommandFindsEveryClientHoweverItWasMade() throws Exception {
        Files.createDirectories(etc);
        List<String> lines = new ArrayList<>(List.of("clientId=cfgbob", "dataDirectory=" + tmp.resolve("clients/cfgbob")));
        for (String key : ClientDefaults.KEYS) {
            lines.add(key + "=${m800.defaults." + key + "}");
        }
        Files.write(etc.resolve("org.m800.sdk.client-cfgbob.cfg"), lines, StandardCharsets.UTF_8);
        // alice from m800:create, bob from etc/: the chat, contacts, core and event commands find both
        Path script = script("m800:create alice dataDirectory=" + tmp.resolve("clients/alice"),
                "runtime:waitfor \"(m800.client.id=cfgbob)\" 30",
                "m800:await alice chat 30", "m800:await cfgbob chat 30",
                "m800:signup alice alice secret-password", "m800:signup cfgbob bob secret-password",
                "conversation = m800:chatopen cfgbob @alice",
                "m800:chatsend cfgbob $conversation hello alice",
                // alice opens it too: waiting for bob's message to reach her is not what this test is about
                // (m800:chats reads her local list, which bob's message may not have reached yet under load)
                "m800:chatopen alice @cfgbob",
                "m800:chats alice", "m800:chathistory cfgbob ($conversation substring 13)",
                "m800:contactadd alice @cfgbob Bob", "m800:events cfgbob", "m800:events alice",
                "m800:chatopen alice @nobody");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_SCRIPT_FAILED, status);
            Matcher conversation = Pattern.compile("conversation (d-[0-9a-f]+)").matcher(out);
            assertTrue(out, conversation.find());
            String id = conversation.group(1);
            assertTrue(out, Pattern.compile("message \\S+ #1").matcher(out).find());
            assertTrue("chats finds the m800:create client: " + out, out.contains(id + " DIRECT members 2"));
            assertTrue("chathistory finds the configured client: " + out, out.contains(": hello alice ["));
            assertTrue(out, Pattern.compile("added u-\\S+ bob \"bob\" alias \"Bob\"").matcher(out).find());
            assertTrue("events of the configured client: " + out, out.contains("FEATURE_READY chat"));
            assertEquals("no command said it cannot find a client but the last: " + out, 1,
                    out.split("no client ", -1).length - 1);
            assertTrue(out, out.contains("script line 15 failed: m800:chatopen alice @nobody"));
            assertTrue(out, out.contains("no client nobody is open"));
        }
    }

    @Test
    public void helpListsEverySdkCommandWithItsDescriptionAndExplainsItsParameters() throws Exception {
        Path script = script("help m800", "help m800:chatsend", "help contactmatch", "help", "help m800:nosuchcommand");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals("an unknown command in help fails the script: " + out, Main.EXIT_SCRIPT_FAILED, status);
            assertTrue(out, out.contains("commands of scope m800"));
            Matcher row = Pattern.compile("(?m)^  m800:(\\w+)\\s+(.+)$").matcher(out);
            List<String> listed = new ArrayList<>();
            while (row.find()) {
                listed.add(row.group(1));
                assertFalse("every command has a description: " + row.group(), row.group(2).contains("(no description)"));
            }
            // every command of every bundle's scope m800: core, chat, contacts, verification, file, call
            assertEquals(out, new java.util.TreeSet<>(SDK_COMMANDS), new java.util.TreeSet<>(listed));
            // Gogo's help of one command: its description and each parameter's
            assertTrue(out, out.contains("sends a text and waits until the server has it"));
            assertTrue(out, out.contains("the conversation: its id, or what m800:chatopen printed"));
            assertTrue(out, out.contains("the region of national numbers, such as GB"));
            assertTrue(out, out.contains("'help <scope>' lists a scope's commands"));
            assertTrue(out, out.contains("script line 5 failed: help m800:nosuchcommand"));
            assertTrue(out, out.contains("no command or scope 'm800:nosuchcommand'"));
        }
    }

    @Test
    public void anUnknownCommandFailsTheScript() throws Exception {
        Path script = script("runtime:uptime", "m800:nosuchcommand demo");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--no-server", "--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_SCRIPT_FAILED, status);
            assertTrue(out, out.contains("script line 2 failed: m800:nosuchcommand demo"));
            assertTrue(out, out.contains("Command not found: m800:nosuchcommand"));
        }
    }

    @Test
    public void inJsonModeAScriptPassesTheConversationItCreatedToTheNextCommand() throws Exception {
        Path script = script("m800:create alice dataDirectory=" + tmp.resolve("clients/alice"),
                "m800:create bob dataDirectory=" + tmp.resolve("clients/bob"),
                "m800:await alice chat 30", "m800:await bob chat 30",
                "m800:signup alice alice secret-password", "m800:signup bob bob secret-password",
                "c = m800:chatopen alice @bob",
                "m800:chatsend alice $c hello bob",
                "m800:chathistory alice $c",
                "m800:userfind alice bob",
                "m800:json off",
                "t = m800:chatopen bob @alice",
                "m800:chatsend bob $t hello alice",
                "m800:json");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--json", "--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, out.contains("{\"client\":\"alice\"}"));
            Matcher opened = Pattern.compile("(?m)^\\{\"conversation\":\"(d-[0-9a-f]+)\"\\}$").matcher(out);
            assertTrue(out, opened.find());
            String id = opened.group(1);
            assertTrue(out, Pattern.compile("(?m)^\\{\"user\":\"u-[^\"]+\",\"username\":\"alice\"\\}$").matcher(out).find()
                    || Pattern.compile("(?m)^\\{\"username\":\"alice\",\"user\":\"u-[^\"]+\"\\}$").matcher(out).find());
            Matcher sent = Pattern.compile("(?m)^\\{.*\"message\":\"[^\"]+\".*\"conversation\":\"" + id + "\".*\\}$")
                    .matcher(out);
            assertTrue("the send went into the conversation the script kept: " + out, sent.find()
                    || Pattern.compile("(?m)^\\{.*\"conversation\":\"" + id + "\".*\"message\":\"[^\"]+\".*\\}$")
                            .matcher(out).find());
            assertTrue("a user found, as one JSON line: " + out, Pattern.compile(
                    "(?m)^\\{\"displayName\":\"bob\",\"user\":\"u-[^\"]+\",\"username\":\"bob\"\\}$").matcher(out).find());
            assertTrue("history as one JSON line: " + out,
                    Pattern.compile("(?m)^\\{\"messages\":\\[\\{.*\"text\":\"hello bob\".*\\}\\]\\}$").matcher(out).find());
            // text mode: the same conversation, printed as "conversation <id>" and passed on as it is
            assertTrue(out, out.contains("conversation " + id));
            assertTrue(out, Pattern.compile("(?m)^message \\S+ #2$").matcher(out).find());
            assertTrue(out, out.contains(Main.PROMPT + "m800:json" + System.lineSeparator() + "json off"));
        }
    }

    @Test
    public void aFailingM800CommandFailsTheScript() throws Exception {
        Path script = script("m800:await no-such-client core 1");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_SCRIPT_FAILED, status);
            assertTrue(out, out.contains("m800-runtime: script line 1 failed: m800:await no-such-client core 1"));
            assertTrue(out, out.contains("no-such-client"));
        }
    }

    @Test
    public void waitforFailsTheScriptWhenNoServiceComes() throws Exception {
        Path script = script("runtime:uptime", "runtime:waitfor \"(m800.client.id=never)\" 1");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_SCRIPT_FAILED, status);
            assertTrue(out, Pattern.compile("g! runtime:uptime\\R\\d+\\R").matcher(out).find());
            assertTrue(out, out.contains("script line 2 failed"));
            assertTrue(out, out.contains("TimeoutException: no service matches (m800.client.id=never) after 1 s"));
        }
    }

    @Test
    public void aFailingCommandStopsTheScriptWithANonZeroExit() throws Exception {
        Path script = script("echo first", "", "no:such-command 1 2", "echo never");

        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_SCRIPT_FAILED, status);
            assertTrue(out, out.contains("m800-runtime: script line 3 failed: no:such-command 1 2"));
            assertTrue(out, out.contains("CommandNotFoundException: Command not found: no:such-command"));
            assertFalse(out, out.contains(Main.PROMPT + "echo never"));
        }
    }

    @Test
    public void aScriptCanComeFromStandardInput() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", "-"))) {
            try (OutputStream in = runtime.stdin()) {
                in.write("echo from-stdin\n# skipped\nlb\n".getBytes(StandardCharsets.UTF_8));
            }
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, out.contains(Main.PROMPT + "echo from-stdin" + System.lineSeparator() + "from-stdin"));
            assertTrue(out, out.contains("m800-runtime: script done, 2 commands"));
        }
    }

    @Test
    public void theInteractiveConsoleRunsCommandsAndStopsTheRuntimeAtTheEndOfInput() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options())) {
            try (OutputStream in = runtime.stdin()) {
                in.write("echo typed-in-the-console\n".getBytes(StandardCharsets.UTF_8));
            }
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, out.contains("typed-in-the-console"));
            assertTrue(out, out.contains("gosh: stopping shell and framework"));
        }
    }

    @Test
    public void exitInTheConsoleStopsTheRuntimeWhileItsInputStaysOpen() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options())) {
            OutputStream in = runtime.stdin();
            runtime.awaitOutput("  storage: ", TIMEOUT_SECONDS, TimeUnit.SECONDS);
            in.write("echo before-exit\nexit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertTrue(out, out.contains("before-exit"));
            assertFalse(out, out.contains("InterruptedException") || out.contains("CommandNotFoundException"));
            in.close();
        }
    }

    @Test
    public void quitEndsAScript() throws Exception {
        Path script = script("echo one", "quit", "echo never");
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options("--script", script.toString()))) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, Main.EXIT_OK, status);
            assertFalse(out, out.contains(Main.PROMPT + "echo never"));
            assertTrue(out, out.contains("m800-runtime: script done, 1 command"));
        }
    }

    @Test
    public void aTerminatedRuntimeStopsTheFrameworkAndThenTheServer() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, options())) {
            runtime.awaitOutput("  storage: ", TIMEOUT_SECONDS, TimeUnit.SECONDS);
            runtime.terminate();
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String out = runtime.output();
            assertEquals(out, 128 + 15, status); // SIGTERM
            int frameworkStopped = out.indexOf("gosh: stopping shell and framework");
            int serverStopped = out.indexOf("M800 reference server stopped");
            assertTrue(out, serverStopped > 0);
            assertTrue("the server stops after the framework: " + out, frameworkStopped < 0 || frameworkStopped < serverStopped);
        }
    }

    @Test
    public void aBadCommandLineExitsWithTheUsageStatus() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(tmp, "--no-such-option")) {
            int status = runtime.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(runtime.output(), Main.EXIT_USAGE, status);
            assertTrue(runtime.output(), runtime.output().contains("unknown option --no-such-option"));
        }
    }

    /** The runtime's --home: its default, ./m800-runtime in the folder it runs in. */
    private Path home() {
        return tmp.resolve("m800-runtime");
    }

    private String[] options(String... more) {
        List<String> args = new ArrayList<>(List.of("--deploy", deploy.toString(), "--etc", etc.toString(),
                "--storage", storage.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private Path script(String... lines) throws IOException {
        return Files.write(tmp.resolve("script.gogo"), List.of(lines), StandardCharsets.UTF_8);
    }
}
