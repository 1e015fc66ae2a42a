package org.m800.server.internal.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** {@link Database#inSession}: one transaction per use, statements kept, the pool left as it expects. */
public class DatabaseSessionTest {

    private Database database;

    @Before
    public void open() throws SQLException {
        database = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "");
        try (Connection c = database.connection()) {
            c.createStatement().execute("CREATE TABLE t (k INT PRIMARY KEY, v VARCHAR(10))");
        }
    }

    @After
    public void close() {
        database.close();
    }

    @Test
    public void aSessionCommitsWhenTheWorkReturns() throws SQLException {
        database.inSession(s -> insert(s, 1, "a") + insert(s, 2, "b"));
        assertEquals(2, count());
    }

    @Test
    public void aSessionRollsBackEverythingWhenTheWorkThrows() throws SQLException {
        try {
            database.inSession(s -> {
                insert(s, 1, "a");
                return insert(s, 1, "again"); // primary key taken
            });
            fail("a duplicate key must be thrown");
        } catch (SQLException e) {
            assertTrue(Database.isDuplicateKey(e));
        }
        assertEquals("the first insert of the failed work is rolled back too", 0, count());
        try {
            database.inSession(s -> {
                insert(s, 3, "c");
                throw new IllegalStateException("the work gives up");
            });
            fail("the work's exception must be thrown");
        } catch (IllegalStateException expected) {
            // as thrown
        }
        assertEquals(0, count());
        database.inSession(s -> insert(s, 4, "d"));
        assertEquals("the session still works after rollbacks", 1, count());
    }

    @Test
    public void aSessionKeepsItsStatementsBetweenUses() throws SQLException {
        String sql = "INSERT INTO t (k, v) VALUES (?, ?)";
        PreparedStatement first = database.inSession(s -> s.statement(sql));
        PreparedStatement second = database.inSession(s -> s.statement(sql));
        assertSame("one thread in turn gets the same idle session and its statement", first, second);
    }

    @Test
    public void pooledConnectionsStayAutocommittingAfterSessionsAreDropped() throws Exception {
        // more sessions at once than are kept idle: the extra ones go back to the pool when returned
        int n = Database.IDLE_SESSIONS + 4;
        Thread[] threads = new Thread[n];
        CyclicBarrier together = new CyclicBarrier(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < n; i++) {
            int k = 100 + i;
            threads[i] = new Thread(() -> {
                try {
                    database.inSession(s -> {
                        awaitOthers(together);
                        return insert(s, k, "x");
                    });
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(null, failure.get());
        assertEquals(n, count());
        for (int i = 0; i < n; i++) {
            try (Connection c = database.connection()) {
                assertTrue("a connection from the pool autocommits", c.getAutoCommit());
            }
        }
    }

    @Test
    public void aClosedDatabaseRefusesSessions() {
        database.close();
        try {
            database.inSession(s -> insert(s, 1, "a"));
            fail("a closed database must refuse");
        } catch (SQLException expected) {
            assertEquals("database closed", expected.getMessage());
        }
    }

    private static void awaitOthers(CyclicBarrier together) {
        try {
            together.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other sessions did not open", e);
        }
    }

    private static int insert(DbSession s, int k, String v) throws SQLException {
        PreparedStatement p = s.statement("INSERT INTO t (k, v) VALUES (?, ?)");
        p.setInt(1, k);
        p.setString(2, v);
        return p.executeUpdate();
    }

    private int count() throws SQLException {
        try (Connection c = database.connection(); ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            r.next();
            return r.getInt(1);
        }
    }
}
