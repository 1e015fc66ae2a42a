package org.m800.server;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;

/**
 * File transfers hold a server thread each while their bytes move, so the server serves at most 64 at
 * once and refuses more with 503 (docs/protocol.md 12.5) instead of letting them take every thread.
 */
public class FileTransferLimitTest {
    private static final int LIMIT = 64;

    @Rule
    public final FilesFixture fx = new FilesFixture();

    /** A PATCH the server is reading (it said 100 Continue) whose client sends nothing more. */
    private static Socket heldPatch(FileTestClient c, ReferenceServer server, String location) throws Exception {
        HttpRequest signed = c.request("PATCH", location, null).build();
        Socket s = new Socket(server.host(), server.port());
        s.setSoTimeout(60_000);
        StringBuilder head = new StringBuilder("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        signed.headers().map().forEach((k, v) -> head.append(k).append(": ").append(v.get(0)).append("\r\n"));
        head.append("Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n")
                .append("Expect: 100-continue\r\nContent-Length: 100\r\n\r\n");
        OutputStream out = s.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                .readLine();
        assertTrue(status, status.contains(" 100 "));
        return s;
    }

    @Test
    public void beyond64TransfersAtOnceTheServerAnswers503AndServesAgainWhenOneEnds() throws Exception {
        FileTestClient alice = fx.client(fx.newUser());
        List<String> locations = new ArrayList<>();
        for (int i = 0; i <= LIMIT; i++) {
            locations.add(alice.create(100, null).headers().firstValue("Location").orElseThrow());
        }
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < LIMIT; i++) {
                held.add(heldPatch(alice, fx.server(), locations.get(i)));
            }
            String last = locations.get(LIMIT);
            HttpResponse<byte[]> refused = alice.patch(last, 0, new byte[100], null);
            assertEquals(FileTestClient.text(refused), 503, refused.statusCode());
            assertEquals("BUSY", FileTestClient.reason(refused));
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            // the rest of the server is not starved meanwhile
            assertEquals(200, alice.head(last).statusCode());

            held.remove(0).close();
            long deadline = System.nanoTime() + 30_000_000_000L;
            HttpResponse<byte[]> r;
            do {
                r = alice.patch(last, 0, new byte[100], null);
            } while (r.statusCode() == 503 && System.nanoTime() < deadline && sleep());
            assertEquals(FileTestClient.text(r), 204, r.statusCode());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
