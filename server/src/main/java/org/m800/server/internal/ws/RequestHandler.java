package org.m800.server.internal.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import org.m800.server.internal.wire.WireException;

/**
 * Handles one request type of an authenticated WebSocket connection. Called on a server thread, one
 * request of a connection at a time; may block on the database; must be thread-safe across
 * connections.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * @param data the request's {@code data} object ({@code {}} when absent)
     * @return the answer's {@code data}
     * @throws WireException answered as a failure response
     * @throws SQLException answered as SERVER_ERROR
     */
    JsonNode handle(RequestContext context, ObjectNode data) throws WireException, SQLException;
}
