package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Test;

/**
 * Slow clients (issue 17 item 2): connections that send their request headers or body a byte at a time
 * hold no thread, so {@code /health}, sign-up and WebSocket sessions keep answering while hundreds of
 * them are open; each is closed when its phase passes its deadline; a request whose application
 * headers are wrong is answered before its body is read.
 */
public class SlowClientsTest {
    /**
     * Counts a shared 2-core build machine carries; the 500 / 3,000 are run by hand with
     * {@code -Dm800.slowBodies=500 -Dm800.slowloris=3000}.
     */
    private static final int SLOW_BODIES = Integer.getInteger("m800.slowBodies", 200);
    private static final int SLOWLORIS = Integer.getInteger("m800.slowloris", 500);

    private final List<Socket> sockets = new ArrayList<>();
    private Path data;
    private ReferenceServer server;

    @After
    public void cleanUp() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (server != null) {
            server.close();
        }
        TestServer.deleteRecursively(data);
    }

    private ReferenceServer start(Duration headers, Duration body) throws IOException {
        data = Files.createTempDirectory("m800-slow");
        server = ReferenceServer.builder().port(0).dataDirectory(data).requestTimeouts(headers, body).build().start();
        return server;
    }

    private Socket open() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        return s;
    }

    /** Headers of a sign-up with a valid application key and time but a signature the body can't match. */
    private Socket slowBody() throws IOException {
        Socket s = open();
        String headers = "POST /v1/accounts/signup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10000\r\nX-M800-Application-Key: dev-key\r\nX-M800-Timestamp: "
                + HttpTestClient.now() + "\r\nX-M800-Nonce: " + HttpTestClient.nonce() + "\r\nX-M800-Signature: "
                + "00".repeat(32) + "\r\n\r\n{";
        s.getOutputStream().write(headers.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private Socket slowloris() throws IOException {
        Socket s = open();
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: b".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** One more byte on every slow connection: Jetty's idle timeout alone would never end them. */
    private void trickle(List<Socket> slow) {
        for (Socket s : slow) {
            try {
                OutputStream out = s.getOutputStream();
                out.write(' ');
                out.flush();
            } catch (IOException closedByTheServer) {
                // counted by the caller
            }
        }
    }

    @Test
    public void hundredsOfSlowConnectionsLeaveHealthSignUpAndWebSocketsAnswering() throws Exception {
        start(Duration.ofMinutes(5), Duration.ofMinutes(5));
        HttpTestClient http = HttpTestClient.dev(server);
        String token = http.signUp("alice", "long enough").path("accessToken").asText();
        try (WsTestClient ws = WsTestClient.loggedIn(server, token, null)) {
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_BODIES; i++) {
                slow.add(slowBody());
            }
            for (int i = 0; i < SLOWLORIS; i++) {
                slow.add(slowloris());
            }
            for (int round = 0; round < 3; round++) {
                trickle(slow);
                assertEquals(200, http.unsigned("GET", "/health").status());
                http.signUp("bob" + round, "long enough");
                String id = ws.nextId();
                assertEquals("alice", ws.request("profile.get", id, null).path("data").path("username").asText());
            }
            // none of them was answered or closed meanwhile: they were really open and slow
            for (Socket s : slow) {
                s.setSoTimeout(1);
                try {
                    int b = s.getInputStream().read();
                    throw new AssertionError("a slow connection got " + (b < 0 ? "closed" : "an answer"));
                } catch (SocketTimeoutException expected) {
                    // nothing yet
                }
            }
        }
    }

    @Test
    public void slowHeadersAndSlowBodiesAreClosedAtTheirDeadlines() throws Exception {
        start(Duration.ofMillis(1_500), Duration.ofMillis(1_500));
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slow.add(slowBody());
            slow.add(slowloris());
        }
        // a byte every 200 ms keeps Jetty's 30 s idle timeout from ever firing; the deadline still does
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int closed = 0;
        while (closed < slow.size()) {
            assertTrue(closed + " of " + slow.size() + " slow connections closed within 60 s",
                    System.nanoTime() < deadline);
            trickle(slow);
            closed = 0;
            for (Socket s : slow) {
                if (closedByServer(s)) {
                    closed++;
                }
            }
        }
        // an ordinary client is not affected
        assertEquals(200, HttpTestClient.dev(server).unsigned("GET", "/health").status());
        HttpTestClient.dev(server).signUp("carol", "long enough");
    }

    /** @return whether the server closed the socket (end of stream or reset), waiting at most 200 ms */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(200);
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    public void aRequestWithAnUnknownApplicationIsAnsweredWithoutWaitingForItsBody() throws Exception {
        start(Duration.ofMinutes(5), Duration.ofMinutes(5));
        Socket s = open();
        s.getOutputStream().write(("POST /v1/accounts/signup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000\r\n"
                + "X-M800-Application-Key: no-such-key\r\nX-M800-Timestamp: " + HttpTestClient.now()
                + "\r\nX-M800-Nonce: " + HttpTestClient.nonce() + "\r\nX-M800-Signature: 00\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        s.setSoTimeout(20_000);
        byte[] head = s.getInputStream().readNBytes(12);
        assertEquals("HTTP/1.1 401", new String(head, StandardCharsets.US_ASCII));
    }
}
