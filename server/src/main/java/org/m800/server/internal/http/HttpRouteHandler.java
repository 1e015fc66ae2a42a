package org.m800.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import org.m800.server.internal.wire.WireException;

/** Handles one HTTP route; runs on a server thread and may block on the database. */
@FunctionalInterface
public interface HttpRouteHandler {
    /**
     * @return the 200 answer body
     * @throws WireException answered with its HTTP status and error object
     * @throws SQLException answered as SERVER_ERROR
     */
    ObjectNode handle(HttpCall call) throws WireException, SQLException;
}
