package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Start, stop, TLS and configuration of the embedded server. */
public class LifecycleTest {
    private Path dir;

    @Before
    public void createDirectory() throws Exception {
        dir = Files.createTempDirectory("m800-lifecycle");
    }

    @After
    public void deleteDirectory() {
        TestServer.deleteRecursively(dir);
    }

    private static List<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("m800-server") && t.isAlive()).toList();
    }

    @Test
    public void closeStopsEveryThreadOfTheServer() throws Exception {
        ReferenceServer server = ReferenceServer.builder().port(0).dataDirectory(dir.resolve("data")).build().start();
        assertTrue(server.isRunning());
        String token = HttpTestClient.dev(server).signUp("alice", "long enough").path("accessToken").asText();
        try (WsTestClient ws = WsTestClient.loggedIn(server, token, null)) {
            assertFalse(serverThreads().isEmpty());
            server.close();
            assertTrue(ws.awaitClose().code() > 0);
        }
        assertFalse(server.isRunning());
        for (Thread t : serverThreads()) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertEquals(List.of(), serverThreads());
        server.close(); // idempotent
    }

    @Test
    public void registrationFileAddsApplicationsAndTheDevelopmentOneCanBeTurnedOff() throws Exception {
        Path apps = dir.resolve("apps.json");
        Files.writeString(apps, "{\"applications\":[{\"carrier\":\"m800.example\",\"applicationIdentifier\":"
                + "\"com.example.chat\",\"applicationKey\":\"example-key\",\"applicationSecret\":\"example-secret\","
                + "\"developerKey\":\"example-dev\"}]}");
        try (ReferenceServer server = ReferenceServer.builder().port(0).dataDirectory(dir.resolve("data"))
                .applicationsFile(apps).developmentApplication(false).build().start()) {
            assertEquals(1, server.applications().size());
            HttpTestClient example = new HttpTestClient(server.httpUri(), "example-key", "example-secret");
            JsonNode s = example.signUp("alice", "long enough");
            assertEquals("m800.example", s.path("profile").path("carrier").asText());
            HttpTestClient.Answer dev = HttpTestClient.dev(server).logIn("alice", "long enough");
            assertEquals("UNKNOWN_APPLICATION", dev.errorReason());
        }
    }

    @Test
    public void servesHttpsWithAKeyStore() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "m800", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue());

        try (ReferenceServer server = ReferenceServer.builder().port(0).dataDirectory(dir.resolve("data"))
                .keyStore(keyStore, "changeit").build().start()) {
            assertTrue(server.isSecure());
            assertEquals("https", server.httpUri().getScheme());
            assertEquals("wss", server.imUri().getScheme());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.healthUri())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void aDataDirectoryOrJdbcUrlIsRequired() {
        ReferenceServer.builder().build();
    }

    @Test
    public void worksOnAnInMemoryJdbcUrl() throws Exception {
        try (ReferenceServer server = ReferenceServer.builder().port(0)
                .jdbcUrl("jdbc:h2:mem:lifecycle;DB_CLOSE_DELAY=-1").build().start()) {
            assertEquals(200, HttpTestClient.dev(server).unsigned("GET", "/health").status());
            HttpTestClient.dev(server).signUp("alice", "long enough");
        }
    }
}
