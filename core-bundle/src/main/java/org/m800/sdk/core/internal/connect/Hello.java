package org.m800.sdk.core.internal.connect;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.m800.sdk.core.internal.wire.AppSigner;
import org.m800.sdk.core.internal.wire.Json;

/** The {@code hello} frame that authenticates a connection (docs/protocol.md): application signature, token, resume point. */
final class Hello {

    /** The version of the hello frame itself (docs/protocol.md 7.1). */
    static final int PROTOCOL_VERSION = 1;
    /** The versions offered; the server picks the highest it speaks too. */
    static final List<Integer> VERSIONS = List.of(1, 2);
    private static final String SDK = "m800-sdk-java/1.0";

    private Hello() {
    }

    /**
     * @param resumeFrom the last event seq received, 0 to start from the server's beginning
     * @return the frame's JSON text
     */
    static String frame(AppSigner signer, URI server, String helloId, String accessToken, long resumeFrom,
            String clientId, String applicationVersion) {
        String path = server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
        if (server.getRawQuery() != null) {
            path = path + "?" + server.getRawQuery();
        }
        AppSigner.Signature sig = signer.sign("HELLO", path, accessToken.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("key", sig.key());
        app.put("timestamp", sig.timestamp());
        app.put("nonce", sig.nonce());
        app.put("signature", sig.signature());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("versions", VERSIONS);
        data.put("app", app);
        data.put("accessToken", accessToken);
        if (resumeFrom > 0) {
            data.put("lastSeq", resumeFrom);
        }
        data.put("client", Map.of("sdk", SDK, "applicationVersion", applicationVersion, "clientId", clientId));
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("v", PROTOCOL_VERSION);
        frame.put("type", "hello");
        frame.put("id", helloId);
        frame.put("data", data);
        return Json.write(frame);
    }
}
