package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.Profile;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Fifty clients that sign up and connect to the real server share one transport whose threads do not
 * grow with them; when they are closed, no thread, socket, service or service listener is left, and
 * the shared transport's {@code m800-io} threads stop with the last client.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectionLeakIT extends ServerTestSupport {

    private static final int CLIENTS = 50;
    /** Sign-ups in flight at once; CLIENTS is a multiple of it. */
    private static final int SIGN_UP_BATCH = 10;
    /** The shared transport's pool (16) and its scheduler. */
    private static final int IO_THREAD_LIMIT = 17;
    /** The SDK's event pool (2) and scheduler (1), which end when idle. */
    private static final int EVENT_THREAD_LIMIT = 3;

    @Test
    public void fiftyConnectedClientsLeaveNothingBehindWhenClosed() throws Exception {
        Bundle core = coreBundle();
        ServiceListenerCounter listeners = afterTest(new ServiceListenerCounter(bundleContext, core));
        int socketsBefore = LeakBaseline.openSockets();

        // warm-up: what starts lazily (the server's scheduler, the SDK's event threads) exists before the baseline
        Client warm = serverClient("conn-leak-warm");
        signUpAndConnect(warm, "warm-up");
        warm.close();
        waitUntil("the m800-io threads stop when the only client is closed", () -> ioThreads().isEmpty(), TIMEOUT_S);

        LeakBaseline before = LeakBaseline.of(bundleContext, core, listeners);
        assertTrue(clientFactory().clients().isEmpty());

        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(newClient(serverConfig("conn-leak-" + i).build(), List.of()));
        }
        List<Recorder<ConnectionStateEvent>> states = new ArrayList<>();
        for (int batch = 0; batch < CLIENTS; batch += SIGN_UP_BATCH) {
            List<CompletableFuture<Profile>> signUps = new ArrayList<>();
            for (int i = batch; i < batch + SIGN_UP_BATCH; i++) {
                Client c = clients.get(i);
                awaitReady(c);
                states.add(states(c.require(ConnectService.class)));
                signUps.add(c.require(AccountManager.class).signUp("leak-user-" + i, PASSWORD, null));
            }
            for (int i = 0; i < SIGN_UP_BATCH; i++) {
                await(signUps.get(i), "signUp of client " + (batch + i));
            }
        }
        for (int i = 0; i < CLIENTS; i++) {
            awaitState(states.get(i), 0, ConnectionState.CONNECTED);
        }
        assertEquals(CLIENTS, clientFactory().clients().size());
        int ioThreads = ioThreads().size();
        assertTrue("the shared transport runs while clients are open", ioThreads > 0);
        assertTrue("the transport's threads do not grow with " + CLIENTS + " clients: " + ioThreads(),
                ioThreads <= IO_THREAD_LIMIT);
        int socketsOpen = LeakBaseline.openSockets();
        assertTrue("both ends of " + CLIENTS + " WebSockets are open in this JVM: " + socketsOpen + " sockets, "
                + socketsBefore + " before", socketsOpen >= socketsBefore + 2 * CLIENTS);

        // all but the last: the shared transport stays for the last one
        for (int i = 0; i < CLIENTS - 1; i++) {
            clients.get(i).close();
        }
        Client last = clients.get(CLIENTS - 1);
        assertEquals(ConnectionState.CONNECTED, last.require(ConnectService.class).state());
        assertEquals("leak-user-" + (CLIENTS - 1),
                await(last.require(AccountManager.class).fetchProfile(), "fetchProfile of the last client").username());
        assertFalse("the transport is counted, not stopped by the first close", ioThreads().isEmpty());
        last.close();

        waitUntil("the m800-io threads stop with the last client", () -> ioThreads().isEmpty(), TIMEOUT_S);
        LeakBaseline.settles("open sockets", socketsBefore, LeakBaseline::openSockets);
        // the SDK's bounded event threads are checked apart; the reference server, not the SDK, sizes its pool
        before.assertNoNewThreads(CLIENTS + " clients", t -> isEventThread(t) || t.getName().startsWith("m800-server"));
        long eventThreads = liveThreads().stream().filter(ConnectionLeakIT::isEventThread).count();
        assertTrue("the SDK's event threads stay bounded: " + eventThreads, eventThreads <= EVENT_THREAD_LIMIT);
        before.assertBundleBack();
        assertTrue(clientFactory().clients().isEmpty());
    }

    /** The shared transport's threads: {@code m800-io-*} and {@code m800-io-scheduler-*}. */
    private static List<String> ioThreads() {
        return liveThreads().stream().map(Thread::getName).filter(n -> n.startsWith("m800-io")).sorted()
                .collect(Collectors.toList());
    }

    private static boolean isEventThread(Thread t) {
        return t.getName().startsWith("m800-events") || t.getName().startsWith("m800-scheduler");
    }
}
