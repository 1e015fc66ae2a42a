package org.m800.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test client of the WebSocket side written from docs/protocol.md, on java.net.http. Events go to
 * one queue, every other frame to another. Waits use timeouts, never sleeps.
 */
final class WsTestClient implements WebSocket.Listener, AutoCloseable {
    static final long TIMEOUT_SECONDS = 10;

    /** How the server closed the connection. */
    record Closed(int code, String reason) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocket socket;

    private WsTestClient(URI uri) throws Exception {
        socket = HTTP.newWebSocketBuilder().buildAsync(uri, this)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    static WsTestClient connect(URI uri) throws Exception {
        return new WsTestClient(uri);
    }

    /** Connects to the IM endpoint and completes a hello with the token; asserts success. */
    static WsTestClient loggedIn(ReferenceServer server, String accessToken, Long lastSeq) throws Exception {
        return loggedIn(server, accessToken, lastSeq, new int[] {1});
    }

    /** Logs in offering these protocol versions; later frames carry the negotiated one. */
    static WsTestClient loggedIn(ReferenceServer server, String accessToken, Long lastSeq, int[] versions)
            throws Exception {
        WsTestClient c = connect(server.imUri());
        c.offered = versions.clone();
        JsonNode r = c.hello(accessToken, lastSeq, "/v1/im", "dev-key", "dev-secret");
        if (r.has("error")) {
            throw new AssertionError("hello failed: " + r);
        }
        return c;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode frame = HttpTestClient.JSON.readTree(partial.toString());
                ("event".equals(frame.path("type").asText()) ? events : frames).add(frame);
            } catch (Exception e) {
                frames.add(HttpTestClient.JSON.createObjectNode().put("clientError", e.toString()));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(-1, String.valueOf(error)));
    }

    /** The versions the hello offers, and the one it negotiated (used in the frames sent after it). */
    private int[] offered = {1};
    private volatile int version = 1;

    String nextId() {
        return "r-" + ids.incrementAndGet();
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    void send(JsonNode frame) throws Exception {
        if (version != 1 && frame instanceof com.fasterxml.jackson.databind.node.ObjectNode o && o.has("v")) {
            o.put("v", version);
        }
        send(HttpTestClient.JSON.writeValueAsString(frame));
    }

    void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** @return the next non-event frame; fails after the timeout */
    JsonNode next() throws InterruptedException {
        JsonNode f = frames.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + TIMEOUT_SECONDS + " s");
        }
        return f;
    }

    /** @return the next event; fails after the timeout */
    JsonNode nextEvent() throws InterruptedException {
        JsonNode f = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no event within " + TIMEOUT_SECONDS + " s");
        }
        return f;
    }

    static ObjectNode frame(String type, String id, JsonNode data) {
        ObjectNode f = HttpTestClient.JSON.createObjectNode().put("v", 1).put("type", type);
        if (id != null) {
            f.put("id", id);
        }
        if (data != null) {
            f.set("data", data);
        }
        return f;
    }

    /** Sends a request and waits for its response (other non-event frames before it fail the test). */
    JsonNode request(String type, String id, JsonNode data) throws Exception {
        send(frame(type, id, data));
        JsonNode r = next();
        if (!"response".equals(r.path("type").asText()) || !id.equals(r.path("id").asText())) {
            throw new AssertionError("expected the response to " + id + ", got " + r);
        }
        return r;
    }

    JsonNode hello(String accessToken, Long lastSeq, String path, String key, String secret) throws Exception {
        long ts = HttpTestClient.now();
        String nonce = HttpTestClient.nonce();
        return hello(accessToken, lastSeq, key, ts, nonce, HttpTestClient.sign(key, secret, "HELLO", path, ts, nonce,
                HttpTestClient.sha256Hex(accessToken.getBytes(StandardCharsets.UTF_8))));
    }

    JsonNode hello(String accessToken, Long lastSeq, String key, long ts, String nonce, String signature)
            throws Exception {
        ObjectNode data = HttpTestClient.JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode offer = data.putArray("versions");
        for (int v : offered) {
            offer.add(v);
        }
        data.putObject("app").put("key", key).put("timestamp", ts).put("nonce", nonce).put("signature", signature);
        data.put("accessToken", accessToken);
        if (lastSeq != null) {
            data.put("lastSeq", lastSeq);
        }
        JsonNode answer = request("hello", "hello-1", data);
        version = answer.path("data").path("version").asInt(1);
        return answer;
    }

    Closed awaitClose() throws Exception {
        return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
