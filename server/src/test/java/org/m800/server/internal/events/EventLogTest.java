package org.m800.server.internal.events;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.m800.server.internal.db.Database;

/** {@link EventLog#appendAll}: one transaction for the caller's work and every user's event. */
public class EventLogTest {

    private Database database;
    private EventLog log;

    @Before
    public void open() throws SQLException {
        database = new Database("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "");
        try (Connection c = database.connection()) {
            // the columns EventLog uses, as in the core migrations
            c.createStatement().execute("CREATE TABLE events (user_id VARCHAR(64) NOT NULL, seq BIGINT NOT NULL, "
                    + "event_type VARCHAR(64) NOT NULL, event_data VARCHAR(1000000) NOT NULL, "
                    + "created_at BIGINT NOT NULL, PRIMARY KEY (user_id, seq))");
            c.createStatement().execute("CREATE TABLE facts (k INT PRIMARY KEY)");
        }
        log = new EventLog(database, Clock.systemUTC());
    }

    @After
    public void close() {
        database.close();
    }

    @Test
    public void everyUserGetsTheEventAfterTheWorkOfTheSameTransaction() throws SQLException {
        log.append("bob", "x", "{}");
        List<Event> live = new ArrayList<>();
        log.attach("bob", (e, replay) -> live.add(e), plan(Long.MAX_VALUE));
        List<Event> stored = log.appendAll(List.of("alice", "bob"), "chat.message", "{\"n\":1}", s -> {
            s.statement("INSERT INTO facts (k) VALUES (1)").executeUpdate();
            return null;
        });
        assertEquals(1, stored.get(0).seq());
        assertEquals("bob's log continues after his first event", 2, stored.get(1).seq());
        assertEquals(2, log.head("bob"));
        assertEquals("bob's live connection got it", List.of(stored.get(1)), live);
        assertEquals(1, rows("facts"));
    }

    @Test
    public void aFailedWorkStoresNoEventAndMovesNoHead() throws SQLException {
        log.appendAll(List.of("alice"), "first", "{}", s -> {
            s.statement("INSERT INTO facts (k) VALUES (1)").executeUpdate();
            return null;
        });
        List<Event> live = new ArrayList<>();
        log.attach("alice", (e, replay) -> live.add(e), plan(Long.MAX_VALUE));
        try {
            log.appendAll(List.of("alice", "bob"), "second", "{}", s -> {
                s.statement("INSERT INTO facts (k) VALUES (1)").executeUpdate(); // key taken
                return null;
            });
            fail("the work's duplicate key must be thrown");
        } catch (SQLException e) {
            assertEquals(true, Database.isDuplicateKey(e));
        }
        assertEquals(1, rows("events"));
        assertEquals(1, log.head("alice"));
        assertEquals(0, log.head("bob"));
        assertEquals("nothing was delivered", List.of(), live);
        Event next = log.append("alice", "third", "{}");
        assertEquals("the log goes on without a gap", 2, next.seq());
    }

    @Test
    public void usersSharingALockStripeAreAppendedOnce() throws SQLException {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            users.add("user-" + i); // more users than stripes: several share one
        }
        List<Event> stored = log.appendAll(users, "group.updated", "{}", null);
        assertEquals(200, stored.size());
        assertEquals(200, rows("events"));
        for (Event e : stored) {
            assertEquals(1, e.seq());
        }
    }

    @Test
    public void retentionKeepsTheNewestEventsAndReportsTheGapToAClientBehindIt() throws SQLException {
        for (int i = 0; i < 10; i++) {
            log.append("alice", "x", "{\"n\":" + i + "}");
        }
        log.append("bob", "x", "{}");
        // alice's newest 3 are kept (seqs 1..7 go); then, by time, everything is old: all go but the newest
        assertEquals(7, log.trim(0, 3));
        assertEquals(2, log.trim(Long.MAX_VALUE, 3));
        assertEquals(1, rows("events WHERE user_id = 'alice'"));
        assertEquals(1, rows("events WHERE user_id = 'bob'"));
        // the head holds: the next event is 11, never a seq given before
        assertEquals(11, log.append("alice", "x", "{}").seq());

        boolean[] gap = new boolean[1];
        List<Long> replayed = new ArrayList<>();
        log.attach("alice", (e, replay) -> replayed.add(e.seq()), new ResumePlan() {
            @Override
            public long resumeFrom(long head) {
                return 4; // a client that saw 4, while 5..9 are gone
            }

            @Override
            public void started(long head, long resumeFrom, boolean g) {
                gap[0] = g;
            }
        });
        assertEquals(List.of(10L, 11L), replayed);
        assertEquals(true, gap[0]);
        boolean[] none = new boolean[] {true};
        log.attach("bob", (e, replay) -> {
            // no replay expected to matter here
        }, new ResumePlan() {
            @Override
            public long resumeFrom(long head) {
                return 0; // bob's only event is seq 1: nothing is missing
            }

            @Override
            public void started(long head, long resumeFrom, boolean g) {
                none[0] = g;
            }
        });
        assertEquals(false, none[0]);
    }

    private static ResumePlan plan(long from) {
        return new ResumePlan() {
            @Override
            public long resumeFrom(long head) {
                return Math.min(from, head);
            }

            @Override
            public void started(long head, long resumeFrom, boolean gap) {
                // nothing to answer in a unit test
            }
        };
    }

    private int rows(String table) throws SQLException {
        try (Connection c = database.connection();
                var r = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        }
    }
}
