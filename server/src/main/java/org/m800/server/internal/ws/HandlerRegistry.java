package org.m800.server.internal.ws;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request handlers of one WebSocket endpoint, keyed by message type ({@code profile.get},
 * {@code chat.send}...). Feature code registers its types while the server starts. The reserved
 * types {@code hello}, {@code ping}, {@code pong} and {@code ack} are handled by the connection
 * itself. Thread-safe.
 */
public final class HandlerRegistry {
    private static final java.util.Set<String> RESERVED = java.util.Set.of("hello", "ping", "pong", "ack",
            "response", "event", "error");

    /** A registered handler. @param deduplicate whether answers are remembered by request id */
    public record Registration(RequestHandler handler, boolean deduplicate) {
    }

    private final Map<String, Registration> handlers = new ConcurrentHashMap<>();

    /**
     * Registers the handler of a type; its answers are remembered for de-duplication.
     *
     * @throws IllegalStateException if the type is reserved or registered already
     */
    public void register(String type, RequestHandler handler) {
        register(type, handler, true);
    }

    /**
     * Registers the handler of a read-only or naturally idempotent type, whose repetition is harmless:
     * its answers are not remembered by request id (the handler de-duplicates itself if it must).
     *
     * @throws IllegalStateException if the type is reserved or registered already
     */
    public void registerIdempotent(String type, RequestHandler handler) {
        register(type, handler, false);
    }

    /**
     * @param deduplicate false for read-only types whose repetition is harmless (answers not stored);
     *        prefer {@link #register(String, RequestHandler)} and {@link #registerIdempotent}
     */
    public void register(String type, RequestHandler handler, boolean deduplicate) {
        if (RESERVED.contains(type)) {
            throw new IllegalStateException("type " + type + " is reserved");
        }
        if (handlers.putIfAbsent(type, new Registration(handler, deduplicate)) != null) {
            throw new IllegalStateException("type " + type + " is already registered");
        }
    }

    public Optional<Registration> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }
}
