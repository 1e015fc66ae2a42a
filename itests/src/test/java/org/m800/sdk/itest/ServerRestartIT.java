package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.ServerEvent;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The reference server stopped and started again (same port, same data directory) under a connected
 * client in the framework: the client notices, keeps trying, and is CONNECTED again by itself,
 * still logged in, and hears events again, each once and in order.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class ServerRestartIT extends ServerTestSupport {

    @Test
    public void aConnectedClientReconnectsByItselfWhenTheServerComesBack() throws Exception {
        Client client = serverClient("restart-1");
        AccountManager account = client.require(AccountManager.class);
        ConnectService connect = client.require(ConnectService.class);
        Recorder<ConnectionStateEvent> states = states(connect);
        Recorder<ServerEvent> events = new Recorder<>("profile.updated event");
        afterTest(client.require(NotificationService.class).subscribe("profile.updated", events));
        Recorder<ServerEvent> all = new Recorder<>("server event");
        afterTest(connect.onEvent(all));
        Profile me = await(account.signUp("rita", PASSWORD, "Rita"), "signUp");
        awaitState(states, 0, ConnectionState.CONNECTED);
        await(account.updateProfile(null, "before the restart"), "updateProfile before the restart");
        events.await(0, "before the restart", e -> "before the restart".equals(e.data().get("statusMessage")), TIMEOUT_S);

        int down = states.mark();
        stopServer();
        assertFalse(serverRunning());
        ConnectionStateEvent lost = states.await(down, "leaving CONNECTED",
                e -> e.oldState() == ConnectionState.CONNECTED && e.newState() != ConnectionState.CONNECTED, TIMEOUT_S)
                .value();
        assertTrue("the connection waits and retries, it does not give up: " + lost,
                lost.newState() == ConnectionState.WAITING || lost.newState() == ConnectionState.CONNECTING);
        // sync point: a retry failed against the stopped server before it comes back
        states.await(down, "WAITING after a failed retry", e -> e.oldState() == ConnectionState.CONNECTING
                && e.newState() == ConnectionState.WAITING, TIMEOUT_S);

        int up = states.mark();
        startServer();
        assertTrue(serverRunning());
        awaitState(states, up, ConnectionState.CONNECTED);
        List<ConnectionState> since = states.valuesSince(down).stream().map(ConnectionStateEvent::newState).toList();
        assertFalse("never DISCONNECTED on the way: " + since, since.contains(ConnectionState.DISCONNECTED));
        assertTrue("still logged in", account.isLoggedIn());
        assertEquals(me.userId(), connect.userId());

        // the session works against the restarted server, and events flow again, each once
        int eventMark = events.mark();
        await(account.updateProfile(null, "after the restart"), "updateProfile after the restart");
        events.await(eventMark, "after the restart", e -> "after the restart".equals(e.data().get("statusMessage")),
                TIMEOUT_S);
        assertEquals("after the restart", await(account.fetchProfile(), "fetchProfile").statusMessage());
        assertEquals("one profile.updated per update: " + events.valuesSince(0), 2, events.mark());
        long lastSeq = all.await(0, "about 'after the restart'",
                e -> "after the restart".equals(e.data().get("statusMessage")), TIMEOUT_S).value().seq();
        List<Long> seqs = all.valuesSince(0).stream().map(ServerEvent::seq).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals("every event of the user once, none missed across the restart: " + seqs,
                    seqs.get(i - 1) + 1, (long) seqs.get(i));
        }
        assertEquals("nothing after the last update", lastSeq, (long) seqs.get(seqs.size() - 1));
        waitUntil("the connection's cursor reaches the last event", () -> connect.lastSeq() == lastSeq, TIMEOUT_S);
    }
}
