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

    /** @throws IllegalStateException if the route exists already */
    public void add(String method, String path, HttpRouteHandler handler) {
        if (routes.putIfAbsent(method + " " + path, handler) != null) {
            throw new IllegalStateException("route " + method + " " + path + " is already registered");
        }
    }

    public Optional<HttpRouteHandler> find(String method, String path) {
        return Optional.ofNullable(routes.get(method + " " + path));
    }
}
