package org.m800.server;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.After;
import org.junit.Test;

/**
 * The development outbox (docs/protocol.md 11.7) shows codes only when the server is built with it
 * (the runtime's embedded server, tests); a standalone server refuses it by default (issue 17 item 15).
 */
public class DevelopmentOutboxTest {
    private Path data;
    private ReferenceServer server;

    @After
    public void stop() {
        if (server != null) {
            server.close();
        }
        TestServer.deleteRecursively(data);
    }

    private HttpTestClient start(ReferenceServer.Builder b) throws Exception {
        data = Files.createTempDirectory("m800-outbox");
        server = b.port(0).dataDirectory(data).build().start();
        return HttpTestClient.dev(server);
    }

    private static HttpTestClient.Answer startVerification(HttpTestClient http) throws Exception {
        return http.post("/v1/verification/start", HttpTestClient.JSON.createObjectNode()
                .put("phoneNumber", "+14155550132"));
    }

    @Test
    public void offByDefault() throws Exception {
        HttpTestClient http = start(ReferenceServer.builder());
        assertEquals(200, startVerification(http).status());
        HttpTestClient.Answer refused = http.post("/v1/verification/outbox", HttpTestClient.JSON.createObjectNode());
        assertEquals(refused.toString(), 404, refused.status());
        assertEquals("OUTBOX_DISABLED", refused.body().path("error").path("reason").asText());
    }

    @Test
    public void onWhenAskedFor() throws Exception {
        HttpTestClient http = start(ReferenceServer.builder().developmentOutbox(true));
        assertEquals(200, startVerification(http).status());
        HttpTestClient.Answer shown = http.post("/v1/verification/outbox", HttpTestClient.JSON.createObjectNode());
        assertEquals(shown.toString(), 200, shown.status());
        assertEquals("+14155550132", shown.body().path("deliveries").get(0).path("phoneNumber").asText());
    }
}
