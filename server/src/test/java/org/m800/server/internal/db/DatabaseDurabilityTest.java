package org.m800.server.internal.db;

import static org.junit.Assert.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * H2 is opened so that each commit reaches the file before it returns (issue 17 item 1). The kill of a
 * real server process is tested by chat-bundle's ServerKillTest; this checks the setting itself.
 */
public class DatabaseDurabilityTest {
    @Rule
    public final TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void anH2FileDatabaseWritesEachCommitWithoutDelay() throws Exception {
        Database db = new Database("jdbc:h2:file:" + temp.getRoot().toPath().resolve("d"), "", "");
        try {
            assertEquals("0", setting(db, "WRITE_DELAY"));
        } finally {
            db.close();
        }
    }

    @Test
    public void aWriteDelayTheUrlSetsIsKept() {
        assertEquals("jdbc:h2:file:/x;write_delay=100;retention_time=5",
                Database.durable("jdbc:h2:file:/x;write_delay=100;retention_time=5"));
        assertEquals("jdbc:h2:file:/x;write_delay=100;RETENTION_TIME=" + Database.RETENTION_MILLIS,
                Database.durable("jdbc:h2:file:/x;write_delay=100"));
        assertEquals("jdbc:h2:mem:a;DB_CLOSE_DELAY=-1;WRITE_DELAY=0;RETENTION_TIME=" + Database.RETENTION_MILLIS,
                Database.durable("jdbc:h2:mem:a;DB_CLOSE_DELAY=-1"));
        assertEquals("jdbc:postgresql://db/m800", Database.durable("jdbc:postgresql://db/m800"));
    }

    private static String setting(Database db, String name) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '"
                        + name + "'")) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
