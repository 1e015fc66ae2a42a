package org.m800.server.internal.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A route for every path under a prefix that reads its own body (binary, of any size, streamed) and
 * writes its own answer, such as the file endpoints. The body is not part of the application
 * signature: its {@code bodyHash} is the hash of the empty string (docs/protocol.md section 12).
 */
public interface StreamRoute {
    /** @return whether this request is answered without application authentication (tus discovery) */
    boolean isPublic(Request request);

    /**
     * Handles a request whose application signature checked out (or a public one), from
     * {@link StreamRoutes}. Runs on a server thread and may block; must complete the callback, also
     * when it fails.
     *
     * @param call the application and the bearer token ({@code null} for a public request); its body is empty
     */
    void handle(Request request, Response response, Callback callback, HttpCall call);
}
