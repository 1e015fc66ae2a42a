package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.core.ServerFixture.awaitState;
import static org.m800.sdk.core.ServerFixture.get;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.m800.server.ReferenceServer;

/** wss:// and https:// against the reference server with a certificate made for this test. */
public class TlsIntegrationTest {

    @ClassRule
    public static TemporaryFolder stores = new TemporaryFolder();

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static Path keyStore;
    private static Path trustStore;
    private ReferenceServer server;
    private final ClientFactory factory = ClientFactory.standalone();
    private Client client;

    /** Certificates are made once per class: keytool is a JVM start each time. */
    @BeforeClass
    public static void makeCertificates() throws Exception {
        Path dir = stores.getRoot().toPath();
        keyStore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "m800", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-alias", "m800", "-keystore", keyStore.toString(), "-storepass", "changeit", "-file",
                cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "m800", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", "trustpass");
    }

    @Before
    public void setUp() throws Exception {
        server = ReferenceServer.builder().port(0).dataDirectory(temp.newFolder("data").toPath())
                .keyStore(keyStore, "changeit").build().start();
    }

    @After
    public void tearDown() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue("keytool did not finish", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(output, 0, p.exitValue());
    }

    private Client open(ClientConfig.Builder config) throws Exception {
        client = factory.create(ServerFixture.DEV_APP, config.build());
        CompletableFuture<Client> ready = new CompletableFuture<>();
        client.on(ClientEvent.READY, ready::complete);
        ready.get(10, TimeUnit.SECONDS);
        return client;
    }

    private ClientConfig.Builder config() throws Exception {
        return ClientConfig.builder().clientId("tls").imServers(List.of(server.imUri()))
                .signUpServers(List.of(server.httpUri())).dataDirectory(temp.newFolder().toPath());
    }

    @Test
    public void signsUpOverHttpsAndConnectsOverWss() throws Exception {
        assertEquals("wss", server.imUri().getScheme());
        Client c = open(config().trustStore(trustStore).trustStorePassword("trustpass"));
        Profile p = get(c.require(AccountManager.class).signUp("tina", "tinas-password", null));
        awaitState(c, ConnectionState.CONNECTED);
        assertEquals(p.userId(), get(c.require(AccountManager.class).fetchProfile()).userId());
        assertTrue(Files.exists(trustStore));
    }

    @Test
    public void anUntrustedCertificateFailsClearly() throws Exception {
        Client c = open(config());
        M800Exception e = AccountIntegrationTest.failure(c.require(AccountManager.class).signUp("tina", "tinas-password",
                null));
        assertEquals(e.getMessage(), ErrorCode.NETWORK, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("no server answered"));
        assertTrue(e.getMessage(), e.getMessage().toLowerCase().contains("certif")
                || e.getMessage().toLowerCase().contains("pkix") || e.getMessage().toLowerCase().contains("ssl"));
    }

    @Test
    public void anUntrustedCertificateIsTheConnectionsCauseAtTheFirstAttempt() throws Exception {
        Client c = open(config());
        java.util.concurrent.BlockingQueue<ConnectionStateEvent> states = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<M800Exception> errors = new java.util.concurrent.LinkedBlockingQueue<>();
        c.on(ClientEvent.ERROR, errors::add);
        ConnectService connect = c.require(ConnectService.class);
        connect.onStateChange(states::add);
        connect.start(new ConnectService.Authenticator() {
            @Override
            public String userId() {
                return "u-tls";
            }

            @Override
            public CompletableFuture<String> accessToken(boolean refresh) {
                return CompletableFuture.completedFuture("any-token");
            }
        });
        ConnectionStateEvent e;
        do {
            e = states.poll(15, TimeUnit.SECONDS);
        } while (e != null && e.newState() != ConnectionState.WAITING);
        assertTrue("no WAITING within 15 s", e != null);
        assertEquals(e.reason(), ConnectionFailure.TLS, e.cause());
        M800Exception error = errors.poll(15, TimeUnit.SECONDS);
        assertEquals(ErrorCode.NETWORK, error.code());
        assertTrue(error.getMessage(), error.getMessage().contains("(TLS)"));
    }

    @Test
    public void aMissingTrustStoreIsRefusedInTheConfiguration() {
        ConfigTest.assertMessage("trustStore '" + temp.getRoot().toPath().resolve("nope.p12") + "' is not a readable file",
                () -> config().trustStore(temp.getRoot().toPath().resolve("nope.p12")).build());
    }
}
