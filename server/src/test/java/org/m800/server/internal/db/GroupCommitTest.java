package org.m800.server.internal.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Group commit (issue 15): work submitted while a batch runs joins the next one, which is one
 * transaction; what waits for the commit runs after it, in order; a failing unit is undone alone.
 */
public class GroupCommitTest {
    private String url;
    private Database database;
    /** A connection of its own, outside every batch: it sees committed rows only. */
    private Connection outside;

    @Before
    public void open() throws SQLException {
        url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        database = new Database(url, "", "");
        database.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (k INT PRIMARY KEY)");
            }
            return null;
        });
        outside = DriverManager.getConnection(url, "", "");
    }

    @After
    public void close() throws SQLException {
        try (Statement s = outside.createStatement()) {
            s.execute("SHUTDOWN");
        } finally {
            outside.close();
            database.close();
        }
    }

    @Test
    public void workOfferedDuringABatchCommitsTogetherAndItsAnswersWaitForTheCommit() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertTrue(database.submit(() -> {
            running.countDown();
            await(release);
        }));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        int n = 50;
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 1; i <= n; i++) {
            int k = i;
            assertTrue(database.submit(() -> {
                try {
                    database.inSession(s -> {
                        PreparedStatement p = s.statement("INSERT INTO t (k) VALUES (?)");
                        p.setInt(1, k);
                        return p.executeUpdate();
                    });
                    // the batch's own reads see its writes; a connection outside it does not yet
                    seen.add("inside " + k + " " + count(database.connection(), k) + ", outside " + count(outside, k));
                    database.afterCommit(() -> {
                        seen.add("after " + k + " " + count(outside, k));
                        done.countDown();
                    });
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        release.countDown();
        assertTrue(done.await(30, TimeUnit.SECONDS));
        // nothing was visible outside before its batch ended, and each answer ran after its commit; how the 50
        // split into batches depends on the 10 ms bound, so only the order per item is checked
        for (int k = 1; k <= n; k++) {
            int inside = seen.indexOf("inside " + k + " 1, outside 0");
            int after = seen.indexOf("after " + k + " 1");
            assertTrue(seen.toString(), inside >= 0 && after > inside);
        }
        assertEquals(2 * n, seen.size());
    }

    @Test
    public void aFailingUnitIsUndoneAloneAndTheRestCommits() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        List<String> outcome = Collections.synchronizedList(new ArrayList<>());
        assertTrue(database.submit(() -> {
            try {
                insert(1);
                try {
                    database.inTransaction(c -> {
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("INSERT INTO t (k) VALUES (2)");
                            s.executeUpdate("INSERT INTO t (k) VALUES (1)"); // duplicate key: the unit fails
                        }
                        return null;
                    });
                    outcome.add("no failure");
                } catch (SQLException expected) {
                    outcome.add("unit failed");
                }
                insert(3);
            } catch (SQLException e) {
                outcome.add("unexpected " + e);
            }
            database.afterCommit(done::countDown);
        }));
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(List.of("unit failed"), outcome);
        assertEquals(1, count(outside, 1));
        assertEquals(0, count(outside, 2));
        assertEquals(1, count(outside, 3));
    }

    @Test
    public void codeThatManagesItsOwnTransactionGetsASavepointInABatch() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        assertTrue(database.submit(() -> {
            try (Connection c = database.connection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO t (k) VALUES (10)");
                }
                c.rollback();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO t (k) VALUES (11)");
                }
                c.commit();
                c.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            database.afterCommit(done::countDown);
        }));
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(0, count(outside, 10));
        assertEquals(1, count(outside, 11));
    }

    @Test
    public void onWriterReturnsOnceCommittedAndOutsideABatchAfterCommitRunsAtOnce() throws Exception {
        int inserted = database.onWriter(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO t (k) VALUES (20)");
            }
        });
        assertEquals(1, inserted);
        assertEquals(1, count(outside, 20));
        boolean[] ran = new boolean[1];
        database.afterCommit(() -> ran[0] = true);
        assertTrue(ran[0]);
    }

    @Test
    public void closingRunsTheQueuedWorkThenStopsTheWriter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        database.submit(() -> await(release));
        database.submit(() -> {
            try {
                insert(30);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread closer = new Thread(database::close);
        closer.start();
        release.countDown();
        closer.join(30_000);
        assertFalse(closer.isAlive());
        assertEquals(1, count(outside, 30));
        assertFalse(database.submit(() -> { }));
    }

    private void insert(int k) throws SQLException {
        database.inSession(s -> {
            PreparedStatement p = s.statement("INSERT INTO t (k) VALUES (?)");
            p.setInt(1, k);
            return p.executeUpdate();
        });
    }

    private static int count(Connection c, int k) {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM t WHERE k = ?")) {
            p.setInt(1, k);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
