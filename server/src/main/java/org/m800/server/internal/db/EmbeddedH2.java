package org.m800.server.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * The H2 engine's own session behind a JDBC connection of an embedded H2 database, for the few things
 * its JDBC layer makes costly (a savepoint through JDBC parses a {@code SAVEPOINT} statement of a new
 * name each time) or does not offer (the file's compaction). Stateless.
 */
final class EmbeddedH2 {
    private EmbeddedH2() {
    }

    /** @return the engine's session of the connection, or null if it is not a connection to an embedded H2 */
    static SessionLocal session(Connection c) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)) {
            return null;
        }
        Session session = c.unwrap(JdbcConnection.class).getSession();
        return session instanceof SessionLocal local ? local : null;
    }
}
