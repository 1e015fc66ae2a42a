package org.m800.sdk.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.m800.sdk.core.AccountListener;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.Client;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.NotificationService;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.ServerEvent;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * A client in Felix against the real reference server (running in the outer JVM): sign-up, the
 * connection, the profile, events from another session of the same user, log-out; and the
 * server's classes staying out of the framework.
 */
@RunWith(ReferenceServerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class ServerAccountIT extends ServerTestSupport {

    @Test
    public void signUpConnectUpdateTheProfileHearASecondSessionAndLogOut() throws Exception {
        Client first = serverClient("account-1");
        AccountManager account = first.require(AccountManager.class);
        ConnectService connect = first.require(ConnectService.class);
        Recorder<ConnectionStateEvent> states = states(connect);
        Recorder<ServerEvent> events = new Recorder<>("profile.updated event");
        afterTest(first.require(NotificationService.class).subscribe("profile.updated", events));
        Recorder<Profile> profiles = new Recorder<>("profile");
        afterTest(account.addListener(new AccountListener() {
            @Override
            public void profileChanged(Profile profile) {
                profiles.accept(profile);
            }

            @Override
            public void loggedOut() {
                profiles.accept(null);
            }
        }));
        assertFalse(account.isLoggedIn());
        assertEquals("nobody is logged in: no connection", ConnectionState.DISCONNECTED, connect.state());

        // sign up: logged in, connected
        Profile signedUp = await(account.signUp("Alice", PASSWORD, "Alice A."), "signUp");
        assertEquals("the username is lowered", "alice", signedUp.username());
        assertEquals("Alice A.", signedUp.displayName());
        assertEquals(CARRIER, signedUp.carrier());
        assertNotNull(signedUp.userId());
        assertTrue(account.isLoggedIn());
        awaitState(states, 0, ConnectionState.CONNECTED);
        assertEquals("the server confirmed the user in the hello", signedUp.userId(), connect.userId());

        // the profile over the IM connection
        Profile fetched = await(account.fetchProfile(), "fetchProfile");
        assertEquals(signedUp.userId(), fetched.userId());
        assertEquals("alice", fetched.username());
        assertEquals("Alice A.", fetched.displayName());
        Profile updated = await(account.updateProfile(null, "at lunch"), "updateProfile");
        assertEquals("at lunch", updated.statusMessage());
        assertEquals("a null display name is left as it was", "Alice A.", updated.displayName());
        assertEquals(updated, account.profile().orElseThrow());
        ServerEvent own = events.await(0, "about 'at lunch'", e -> "at lunch".equals(e.data().get("statusMessage")),
                TIMEOUT_S).value();

        // a second client of the same user: its change reaches the first as a profile.updated event
        Client second = serverClient("account-2");
        AccountManager secondAccount = second.require(AccountManager.class);
        Recorder<ConnectionStateEvent> secondStates = states(second.require(ConnectService.class));
        Profile loggedIn = await(secondAccount.logIn("alice", PASSWORD), "logIn of the second client");
        assertEquals(signedUp.userId(), loggedIn.userId());
        assertEquals("at lunch", loggedIn.statusMessage());
        awaitState(secondStates, 0, ConnectionState.CONNECTED);

        int eventMark = events.mark();
        int profileMark = profiles.mark();
        await(secondAccount.updateProfile("Alice B.", null), "updateProfile of the second client");
        Recorder.Entry<ServerEvent> pushed = events.await(eventMark, "about 'Alice B.'",
                e -> "Alice B.".equals(e.data().get("displayName")), TIMEOUT_S);
        ServerEvent fromSecond = pushed.value();
        assertEquals("profile.updated", fromSecond.type());
        assertEquals(signedUp.userId(), fromSecond.data().get("userId"));
        assertTrue("the event comes after the first one in the user's log", fromSecond.seq() > own.seq());
        assertFalse("events never run on an I/O thread: " + pushed.thread(), pushed.thread().startsWith("m800-io"));
        profiles.await(profileMark, "named 'Alice B.'", p -> p != null && "Alice B.".equals(p.displayName()),
                TIMEOUT_S);
        assertEquals("the first client's profile follows", "Alice B.", account.profile().orElseThrow().displayName());
        assertEquals("at lunch", account.profile().orElseThrow().statusMessage());
        List<Long> seqs = new ArrayList<>();
        events.valuesSince(0).forEach(e -> seqs.add(e.seq()));
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue("each event once, in order: " + seqs, seqs.get(i) > seqs.get(i - 1));
        }

        // log out: the first client disconnects, the second session of the user stays
        int stateMark = states.mark();
        int loggedOutMark = profiles.mark();
        await(account.logOut(), "logOut");
        awaitState(states, stateMark, ConnectionState.DISCONNECTED);
        assertEquals(ConnectionState.DISCONNECTED, connect.state());
        assertFalse(account.isLoggedIn());
        assertTrue(account.profile().isEmpty());
        profiles.await(loggedOutMark, "null (logged out)", p -> p == null, TIMEOUT_S);
        assertCode(ErrorCode.NETWORK, awaitFailure(account.fetchProfile(), "fetchProfile after logOut"));
        assertEquals(ConnectionState.CONNECTED, second.require(ConnectService.class).state());
        assertEquals("Alice B.", await(secondAccount.fetchProfile(), "fetchProfile of the second client").displayName());
    }

    @Test
    public void aWrongPasswordIsRefusedAndTheClientStaysUsable() throws Exception {
        Client client = serverClient("account-wrong");
        AccountManager account = client.require(AccountManager.class);
        await(account.signUp("bob", PASSWORD, null), "signUp");
        await(account.logOut(), "logOut");
        assertCode(ErrorCode.UNAUTHORIZED, awaitFailure(account.logIn("bob", "not-the-password"), "logIn"));
        assertFalse(account.isLoggedIn());
        assertEquals(ConnectionState.DISCONNECTED, client.require(ConnectService.class).state());
        Recorder<ConnectionStateEvent> states = states(client.require(ConnectService.class));
        assertEquals("bob", await(account.logIn("bob", PASSWORD), "logIn").username());
        awaitState(states, 0, ConnectionState.CONNECTED);
    }

    /**
     * The server runs in this JVM with its Jetty server, H2 and Jackson on the class path, but the
     * framework sees none of it: the core uses the Jetty client and Jackson bundles.
     */
    @Test
    public void theServerAndItsLibrariesStayOutsideTheFramework() throws Exception {
        assertTrue("the server is running in this JVM", serverRunning());
        ClassLoader outer = ClassLoader.getSystemClassLoader();
        List<String> outside = List.of("org.m800.server.ReferenceServer", "org.eclipse.jetty.server.Server",
                "org.eclipse.jetty.websocket.server.ServerWebSocketContainer", "org.h2.Driver");
        for (String name : outside) {
            assertNotNull(name + " is on the outer class path", Class.forName(name, false, outer));
        }
        List<String> leaks = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getBundleId() == 0 || b.getHeaders().get("Fragment-Host") != null) {
                continue;
            }
            for (String name : outside) {
                try {
                    b.loadClass(name);
                    leaks.add(name + " visible to " + b.getSymbolicName());
                } catch (ClassNotFoundException expected) {
                    // not visible: good
                }
            }
        }
        assertEquals(List.of(), leaks);

        BundleWiring system = bundleContext.getBundle(0).adapt(BundleWiring.class);
        for (BundleCapability c : system.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            for (String prefix : List.of("org.eclipse.jetty", "com.fasterxml", "org.h2", "org.m800", "org.slf4j")) {
                assertFalse("the system bundle exports " + pkg, pkg.startsWith(prefix));
            }
        }
        String bootDelegation = bundleContext.getProperty("org.osgi.framework.bootdelegation");
        assertTrue("boot delegation: " + bootDelegation, bootDelegation == null
                || !(bootDelegation.contains("jetty") || bootDelegation.contains("fasterxml") || bootDelegation.contains("h2")
                        || bootDelegation.trim().equals("*")));

        // the core's Jetty and Jackson packages are wired to their bundles, not to the class path
        int wired = 0;
        for (BundleWire wire : coreBundle().adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            if (pkg.startsWith("org.eclipse.jetty") || pkg.startsWith("com.fasterxml.jackson")) {
                Bundle provider = wire.getProvider().getBundle();
                assertNotEquals(pkg + " comes from the system bundle", 0, provider.getBundleId());
                String bsn = provider.getSymbolicName();
                assertTrue(pkg + " comes from " + bsn, bsn.startsWith("org.eclipse.jetty") || bsn.startsWith("com.fasterxml.jackson"));
                wired++;
            }
        }
        assertTrue("the core imports Jetty and Jackson packages", wired > 0);
        Class<?> inside = coreBundle().loadClass("org.eclipse.jetty.client.HttpClient");
        Class<?> outerCopy = Class.forName("org.eclipse.jetty.client.HttpClient", false, outer);
        assertNotEquals("the framework's Jetty client is not the class path's", outerCopy, inside);
        assertEquals("org.eclipse.jetty.client", FrameworkUtil.getBundle(inside).getSymbolicName());
        assertNull("no bundle loads the outer copy", FrameworkUtil.getBundle(outerCopy));
    }

    @Test
    public void signUpWithBadInputIsRefusedBeforeAnythingIsSent() throws Exception {
        Client client = serverClient("account-bad");
        AccountManager account = client.require(AccountManager.class);
        for (String[] bad : new String[][] {{"x", PASSWORD}, {"-starts-with-dash", PASSWORD}, {"carol", "short"}}) {
            // core API 1.2: bad input fails the future, it is not thrown
            assertCode(ErrorCode.INVALID_ARGUMENT, awaitFailure(account.signUp(bad[0], bad[1], null),
                    "signUp(" + bad[0] + ")"));
        }
        assertFalse(account.isLoggedIn());
        assertEquals(ConnectionState.DISCONNECTED, client.require(ConnectService.class).state());
    }
}
