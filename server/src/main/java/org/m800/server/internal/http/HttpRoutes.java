package org.m800.server.internal.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP API's routes by method and exact path, such as {@code POST /v1/accounts/login}. Features
 * add theirs while the server starts. Thread-safe.
 */
public final class HttpRoutes {
    private final Map<String, HttpRouteHandler> routes = new ConcurrentHashMap<>();
    private final Map<String, StreamRoute> streamRoutes = new ConcurrentHashMap<>();

    /** @throws IllegalStateException if the route exists already */
    public void add(String method, String path, HttpRouteHandler handler) {
        if (routes.putIfAbsent(method + " " + path, handler) != null) {
            throw new IllegalStateException("route " + method + " " + path + " is already registered");
        }
    }

    public Optional<HttpRouteHandler> find(String method, String path) {
        return Optional.ofNullable(routes.get(method + " " + path));
    }

    /**
     * Routes every method and path that starts with the prefix (such as {@code /v1/files/}) to a
     * route that streams its own body.
     *
     * @throws IllegalStateException if the prefix is routed already
     */
    public void addStream(String pathPrefix, StreamRoute route) {
        if (streamRoutes.putIfAbsent(pathPrefix, route) != null) {
            throw new IllegalStateException("prefix " + pathPrefix + " is already routed");
        }
    }

    /** @return the stream route whose prefix the path starts with */
    public Optional<StreamRoute> findStream(String path) {
        for (Map.Entry<String, StreamRoute> e : streamRoutes.entrySet()) {
            if (path.startsWith(e.getKey())) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }
}
