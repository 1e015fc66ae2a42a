package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ClientEvent;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.FeatureBundle;
import org.m800.sdk.core.Profile;
import org.m800.sdk.itest.api.CountingConnect;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The communication layer overridden at run time, the seed's {@code 'service.connect'} override: a
 * bundle ranked 10 replaces the WebSocket connection of a logged-in client with one that answers
 * locally; the account module is rebuilt on it; when the bundle leaves, the default connection comes
 * back and the stored session connects again to the real server without a new log-in.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectOverrideIT extends ServerTestSupport {

    @Test
    public void aHigherRankedConnectBundleReplacesTheConnectionAndTheStoredSessionReconnectsWhenItLeaves()
            throws Exception {
        Client client = serverClient("override-connect");
        Events events = events(client);
        AccountManager account = client.require(AccountManager.class);
        ConnectService webSocket = client.require(ConnectService.class);
        Recorder<ConnectionStateEvent> webSocketStates = states(webSocket);
        Profile me = await(account.signUp("olivia", PASSWORD, "Olivia"), "signUp");
        awaitState(webSocketStates, 0, ConnectionState.CONNECTED);

        // the loopback arrives: modules are rebuilt on the thread that started the bundle, before start() returns
        int mark = events.mark();
        Bundle loopback = installAndStart(TestBundles.LOOPBACK);
        CountingConnect counting = client.module(ConnectService.MODULE, CountingConnect.class)
                .orElseThrow(() -> new AssertionError("service.connect is not the loopback's:\n"
                        + client.diagnostics().describe()));
        assertEquals(Thread.currentThread().getName(), counting.builtOn());
        assertSame("the only ConnectService of the client", counting, client.require(ConnectService.class));
        events.await(mark, ClientEvent.FEATURE_READY, "loopback", TIMEOUT_S);
        events.await(mark, ClientEvent.FEATURE_READY, FeatureBundle.CORE, TIMEOUT_S);
        assertEquals("core stayed ready across the swap", 0, events.count(mark, ClientEvent.FEATURE_UNAVAILABLE,
                FeatureBundle.CORE));
        awaitState(webSocketStates, 0, ConnectionState.CLOSED);
        assertTrue(client.isReady());

        AccountManager rebuilt = client.require(AccountManager.class);
        assertNotSame("account is rebuilt on the new service.connect", account, rebuilt);
        assertTrue("the stored session survives the rebuild", rebuilt.isLoggedIn());
        assertEquals("the stored session started the loopback", List.of(me.userId()), counting.startedFor());
        assertEquals(ConnectionState.CONNECTED, counting.state());
        Profile local = await(rebuilt.fetchProfile(), "fetchProfile through the loopback");
        assertEquals(CountingConnect.LOCAL_DISPLAY_NAME, local.displayName());
        assertEquals(me.userId(), local.userId());
        assertEquals("answered locally, counted", List.of("profile.get"), counting.requestTypes());

        // the loopback leaves: the default connection is back and the stored session reconnects by itself
        mark = events.mark();
        loopback.uninstall();
        assertEquals("the loopback is closed before uninstall() returns", 1, counting.closeCount());
        assertEquals(ConnectionState.CLOSED, counting.state());
        events.await(mark, ClientEvent.FEATURE_UNAVAILABLE, "loopback", TIMEOUT_S);
        events.await(mark, ClientEvent.FEATURE_READY, FeatureBundle.CORE, TIMEOUT_S);
        ConnectService back = client.require(ConnectService.class);
        assertNotSame(counting, back);
        assertNotSame(webSocket, back);
        assertFalse("the default is back", back instanceof CountingConnect);
        awaitState(states(back), 0, ConnectionState.CONNECTED);
        assertEquals(me.userId(), back.userId());

        AccountManager again = client.require(AccountManager.class);
        assertTrue("still logged in, without logging in again", again.isLoggedIn());
        Profile real = await(again.fetchProfile(), "fetchProfile from the real server");
        assertEquals(me.userId(), real.userId());
        assertEquals("olivia", real.username());
        assertEquals("Olivia", real.displayName());
        assertEquals("no request reached the loopback after it left", List.of("profile.get"), counting.requestTypes());
        assertEquals(1, counting.closeCount());
    }
}
