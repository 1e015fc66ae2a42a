package org.m800.sdk.core.internal.connect;

import java.util.Collections;
import java.util.Map;
import java.util.function.Consumer;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.core.ServerEvent;
import org.m800.sdk.core.internal.wire.Json;
import org.m800.sdk.core.internal.wire.WireErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the text frames a server sends on one connection service's connections (an I/O thread) and
 * hands each to whom it concerns: the hello answer to the service's state machine, other answers to
 * the {@link RequestQueue}, events to the service (which passes them to its cursor), pings answered
 * at once. A frame that is not what docs/protocol.md says is reported as a {@code PROTOCOL} error and
 * dropped; the connection goes on. Holds no state of its own.
 */
final class FrameReader {

    private static final Logger LOG = LoggerFactory.getLogger(FrameReader.class);

    private final WebSocketConnectService owner;
    private final String clientId;
    private final RequestQueue requests;
    private final Consumer<M800Exception> errors;

    FrameReader(WebSocketConnectService owner, String clientId, RequestQueue requests,
            Consumer<M800Exception> errors) {
        this.owner = owner;
        this.clientId = clientId;
        this.requests = requests;
        this.errors = errors;
    }

    /** A text frame arrived on {@code conn}. */
    void read(Connection conn, String text) {
        Map<String, Object> frame;
        try {
            frame = Json.readObject(text);
        } catch (M800Exception e) {
            errors.accept(new M800Exception(ErrorCode.PROTOCOL, "the server sent a frame that is not a JSON object: "
                    + e.getMessage()));
            return;
        }
        String type = Json.text(frame, "type");
        if (type == null) {
            errors.accept(new M800Exception(ErrorCode.PROTOCOL, "the server sent a frame without a type"));
            return;
        }
        switch (type) {
            case "response" -> response(conn, frame);
            case "event" -> event(conn, frame);
            case "ping" -> conn.send("{\"v\":1,\"type\":\"pong\",\"id\":" + Json.write(Json.text(frame, "id")) + "}");
            case "pong" -> {
                // liveness only: the connection noted the time of the frame
            }
            case "error" -> errors.accept(WireErrors.toException(Json.object(frame, "error")));
            default -> errors.accept(new M800Exception(ErrorCode.PROTOCOL, "the server sent an unknown frame type '"
                    + type + "'"));
        }
    }

    private void response(Connection conn, Map<String, Object> frame) {
        String id = Json.text(frame, "id");
        if (id != null && id.equals(conn.helloId)) {
            owner.helloAnswered(conn, frame);
            return;
        }
        if (!requests.answer(id, frame)) {
            // an answer to a request that timed out, or a repeat after a resend: nothing waits for it
            LOG.debug("client {}: answer to unknown or finished request {}", clientId, id);
        }
    }

    private void event(Connection conn, Map<String, Object> frame) {
        long seq = Json.number(frame, "seq", -1);
        String name = Json.text(frame, "event");
        if (seq <= 0 || name == null) {
            errors.accept(new M800Exception(ErrorCode.PROTOCOL, "the server sent an event without seq or event type"));
            return;
        }
        owner.eventReceived(conn, new ServerEvent(seq, name, Json.number(frame, "ts", 0),
                Collections.unmodifiableMap(Json.object(frame, "data"))));
    }
}
