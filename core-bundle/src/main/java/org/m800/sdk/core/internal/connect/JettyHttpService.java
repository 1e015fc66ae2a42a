package org.m800.sdk.core.internal.connect;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.m800.sdk.core.ClientConfig;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.HttpService;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ModuleContext;
import org.m800.sdk.core.internal.transport.SharedTransport;
import org.m800.sdk.core.internal.wire.AppSigner;
import org.m800.sdk.core.internal.wire.Json;
import org.m800.sdk.core.internal.wire.WireErrors;

/** {@link HttpService} over the shared Jetty HTTP client, with fail-over across a server list. */
public final class JettyHttpService implements HttpService, AutoCloseable {

    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");
    private static final int MAX_RESPONSE = 1 << 20;

    private final ClientConfig config;
    private final AppSigner signer;
    private final SharedTransport.Lease transport;
    private final Executor events;

    public JettyHttpService(ModuleContext ctx, SharedTransport shared) {
        this.config = ctx.config();
        this.signer = new AppSigner(ctx.appMeta());
        this.events = ctx.eventExecutor();
        this.transport = shared.acquire();
    }

    @Override
    public CompletableFuture<Map<String, Object>> post(Endpoint endpoint, String path, Map<String, ?> body,
            String bearerToken, String requestId) {
        try {
            return send(endpoint, path, body, bearerToken, requestId);
        } catch (M800Exception e) {
            // bad input fails the future: the core API 1.2 rule
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Map<String, Object>> send(Endpoint endpoint, String path, Map<String, ?> body,
            String bearerToken, String requestId) {
        List<URI> servers = switch (endpoint) {
            case SIGN_UP -> config.signUpServers();
            case VERIFICATION -> config.verificationServers();
        };
        if (servers.isEmpty()) {
            throw M800Exception.invalidArgument("no " + (endpoint == Endpoint.SIGN_UP ? ClientConfig.SIGN_UP_SERVERS
                    : ClientConfig.VERIFICATION_SERVERS) + " configured for " + path);
        }
        if (path == null || !PATH.matcher(path).matches()) {
            throw M800Exception.invalidArgument("HTTP path '" + path + "' must start with / and hold no query");
        }
        byte[] bytes = Json.write(body == null ? Map.of() : body).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        attempt(servers, 0, path, bytes, bearerToken, requestId, result, null);
        return result;
    }

    private void attempt(List<URI> servers, int index, String path, byte[] body, String bearer, String requestId,
            CompletableFuture<Map<String, Object>> result, String lastFailure) {
        if (index >= servers.size()) {
            events.execute(() -> result.completeExceptionally(new M800Exception(ErrorCode.NETWORK,
                    "no server answered " + path + ": " + lastFailure)));
            return;
        }
        URI base = servers.get(index);
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String fullPath = basePath + path;
        URI target = base.resolve(fullPath);
        AppSigner.Signature sig = signer.sign("POST", fullPath, body);
        HttpClient http;
        try {
            http = transport.http(); // the first request of the JVM's clients starts Jetty
        } catch (M800Exception e) {
            // also on a retry, where nothing above would see a throw: the future must complete
            events.execute(() -> result.completeExceptionally(e));
            return;
        }
        Request request = http.newRequest(target).method(HttpMethod.POST)
                .timeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> {
                    h.put("X-M800-Application-Key", sig.key());
                    h.put("X-M800-Timestamp", Long.toString(sig.timestamp()));
                    h.put("X-M800-Nonce", sig.nonce());
                    h.put("X-M800-Signature", sig.signature());
                    if (bearer != null) {
                        h.put("Authorization", "Bearer " + bearer);
                    }
                    if (requestId != null) {
                        h.put("X-M800-Request-Id", requestId);
                    }
                })
                .body(new BytesRequestContent("application/json", body));
        new CompletableResponseListener(request, MAX_RESPONSE).send().whenComplete((response, failure) -> {
            if (failure != null) {
                if (failure instanceof java.util.concurrent.TimeoutException
                        || failure.getCause() instanceof java.util.concurrent.TimeoutException) {
                    events.execute(() -> result.completeExceptionally(new M800Exception(ErrorCode.TIMEOUT,
                            "no answer to " + path + " from " + base + " within " + config.requestTimeout().toMillis()
                                    + " ms (requestTimeout)")));
                    return;
                }
                attempt(servers, index + 1, path, body, bearer, requestId, result, base + ": " + failure);
                return;
            }
            complete(response, path, result);
        });
    }

    private void complete(ContentResponse response, String path, CompletableFuture<Map<String, Object>> result) {
        Map<String, Object> json;
        try {
            json = Json.readObject(response.getContentAsString());
        } catch (M800Exception e) {
            events.execute(() -> result.completeExceptionally(new M800Exception(ErrorCode.PROTOCOL, path
                    + " answered HTTP " + response.getStatus() + " with a body that is not a JSON object")));
            return;
        }
        if (response.getStatus() / 100 == 2) {
            events.execute(() -> result.complete(json));
        } else {
            Map<String, Object> error = Json.object(json, "error");
            M800Exception failure = error.isEmpty()
                    ? new M800Exception(ErrorCode.SERVER_ERROR, path + " answered HTTP " + response.getStatus())
                    : WireErrors.toException(error);
            events.execute(() -> result.completeExceptionally(failure));
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
