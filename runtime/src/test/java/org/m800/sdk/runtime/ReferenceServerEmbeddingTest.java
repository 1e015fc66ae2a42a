package org.m800.sdk.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The reference server as the runtime embeds it, in this JVM. */
public class ReferenceServerEmbeddingTest {

    private Path tmp;

    @Before
    public void createFolder() throws IOException {
        tmp = Files.createTempDirectory("m800-embedded-server");
    }

    @After
    public void deleteFolder() throws IOException {
        TestFiles.deleteTree(tmp);
    }

    @Test
    public void theRuntimeFindsTheReferenceServerWithTheServiceLoader() {
        List<String> found = new ArrayList<>();
        ServiceLoader.load(EmbeddedServer.class, Main.class.getClassLoader())
                .forEach(s -> found.add(s.getClass().getName()));
        assertEquals(List.of(ReferenceServerEmbedding.class.getName()), found);
    }

    @Test
    public void servesOnAFreeLoopbackPortWithItsDataInTheFolderAndStopsOnClose() throws Exception {
        Path data = tmp.resolve("server-data");
        int port;
        try (ReferenceServerEmbedding server = new ReferenceServerEmbedding()) {
            Map<String, String> endpoints = server.start(data, 0);
            URI http = URI.create(endpoints.get("signUpServers"));
            port = http.getPort();
            assertEquals("127.0.0.1", http.getHost());
            assertTrue(port > 0);
            assertEquals(Map.of("imServers", "ws://127.0.0.1:" + port + "/v1/im",
                    "signUpServers", "http://127.0.0.1:" + port,
                    "verificationServers", "http://127.0.0.1:" + port,
                    "callServers", "ws://127.0.0.1:" + port + "/v1/call"), endpoints);
            assertEquals("http://127.0.0.1:" + port, server.address());

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(http.resolve("/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(health.body(), 200, health.statusCode());
            assertTrue("the database lives in the data folder", Files.exists(data.resolve("m800.mv.db")));
            assertThrows(IllegalStateException.class, () -> server.start(data, 0));

            // development mode, said in the ready message (RuntimeIT reads the outbox through the shell)
            String ready = Main.describeServers(RuntimeOptions.parse(), List.of(server), endpoints, 1);
            assertTrue(ready, ready.contains("  NOTE:    " + ReferenceServerEmbedding.DEVELOPMENT_NOTICE));
        }
        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class, () -> socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000));
        }
    }

    @Test
    public void aTakenPortFailsTheStart() throws Exception {
        try (ReferenceServerEmbedding first = new ReferenceServerEmbedding();
                ReferenceServerEmbedding second = new ReferenceServerEmbedding()) {
            int port = URI.create(first.start(tmp.resolve("a"), 0).get("signUpServers")).getPort();
            assertThrows(Exception.class, () -> second.start(tmp.resolve("b"), port));
        }
    }
}
