package org.m800.sdk.core;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The module {@value #MODULE}: JSON over HTTP to the sign-up and verification endpoints, signed with
 * the application's credentials as {@code docs/protocol.md} section 4 describes, over an HTTP client
 * shared by every client of the JVM.
 *
 * <p>Servers of a list are tried in order when one cannot be reached; an answer from a server (even
 * an error) is final. Futures complete on the client's event threads. Thread-safe.
 */
public interface HttpService {

    /** The module name. */
    String MODULE = "service.http";

    /** Which configured server list a call goes to. */
    enum Endpoint {
        /** {@link ClientConfig#signUpServers()} */
        SIGN_UP,
        /** {@link ClientConfig#verificationServers()} */
        VERIFICATION
    }

    /**
     * POSTs a JSON object.
     *
     * @param endpoint which server list
     * @param path the path, starting with {@code /}, such as {@code /v1/accounts/login}
     * @param body the body as plain Java values
     * @param bearerToken an access token for the {@code Authorization} header, or {@code null}
     * @param requestId an idempotency id ({@code X-M800-Request-Id}), or {@code null}
     * @return the answer object; fails with the server's error as an {@link M800Exception}, NETWORK when no
     *         server could be reached, TIMEOUT after {@link ClientConfig#requestTimeout()}, INVALID_ARGUMENT
     *         (nothing sent) if the endpoint has no server configured, the path is bad or the body cannot be
     *         written as JSON. Never throws (since 1.2; 1.1 threw INVALID_ARGUMENT).
     */
    CompletableFuture<Map<String, Object>> post(Endpoint endpoint, String path, Map<String, ?> body,
            String bearerToken, String requestId);
}
