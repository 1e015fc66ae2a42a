package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/**
 * Log-in limits over HTTP (issue 17 items 5, 6): parallel guesses cannot pass the limit together; the
 * attacker's address is slowed, not the account's owner on another address, nor the application.
 */
public class LoginLimitsTest {
    @Rule
    public final TestServer server = new TestServer();

    /** A signed log-in sent from a local address of our choice (127.0.0.x are all this machine). */
    private HttpTestClient.Answer logInFrom(String localAddress, String username, String password) throws Exception {
        byte[] body = HttpTestClient.JSON.createObjectNode().put("username", username).put("password", password)
                .toString().getBytes(StandardCharsets.UTF_8);
        long ts = HttpTestClient.now();
        String nonce = HttpTestClient.nonce();
        String path = "/v1/accounts/login";
        String request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                + "X-M800-Application-Key: dev-key\r\nX-M800-Timestamp: " + ts + "\r\nX-M800-Nonce: " + nonce + "\r\n"
                + "X-M800-Signature: " + HttpTestClient.sign("dev-key", "dev-secret", "POST", path, ts, nonce,
                        HttpTestClient.sha256Hex(body)) + "\r\n\r\n";
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.server().port()), 10_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            // chunked or not, the JSON object is between the first '{' and the last '}'
            JsonNode parsed = HttpTestClient.JSON.readTree(json.substring(json.indexOf('{'), json.lastIndexOf('}') + 1));
            return new HttpTestClient.Answer(status, parsed);
        }
    }

    @Test
    public void parallelWrongPasswordsGetNoMoreThanFiveGuesses() throws Exception {
        HttpTestClient.dev(server.server()).signUp("alice", "alice's password");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpTestClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                answers.add(pool.submit(() -> logInFrom("127.0.0.2", "alice", "wrong password")));
            }
            int guessed = 0;
            int limited = 0;
            for (Future<HttpTestClient.Answer> f : answers) {
                HttpTestClient.Answer a = f.get(120, TimeUnit.SECONDS);
                if (a.status() == 401) {
                    guessed++;
                } else {
                    assertEquals(a.toString(), "LOGIN_ATTEMPTS", a.errorReason());
                    limited++;
                }
            }
            assertTrue("at most 5 guesses were checked, were " + guessed, guessed <= 5);
            assertEquals(60, guessed + limited);
        } finally {
            pool.shutdownNow();
        }
        // the owner, from her own address, logs in at once
        assertEquals(200, logInFrom("127.0.0.1", "alice", "alice's password").status());
    }

    @Test
    public void junkLogInsFromOneAddressDoNotLockOutTheApplicationsUsers() throws Exception {
        HttpTestClient.dev(server.server()).signUp("bob", "bob's password");
        HttpTestClient.Answer last = null;
        for (int i = 0; i < 52 && (last == null || last.status() != 429); i++) {
            last = logInFrom("127.0.0.3", "junk" + i, "junk password");
        }
        assertEquals(429, last.status());
        assertEquals("ADDRESS_LOGIN_ATTEMPTS", last.errorReason());
        assertEquals(200, logInFrom("127.0.0.1", "bob", "bob's password").status());
    }
}
