package org.m800.sdk.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.m800.sdk.core.ServerFixture.awaitState;
import static org.m800.sdk.core.ServerFixture.get;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/** Accounts against the real reference server: sign-up, log-in, refresh, log-out, restart, errors. */
public class AccountIntegrationTest {

    private final TemporaryFolder temp = new TemporaryFolder();
    private final ServerFixture fx = new ServerFixture(temp);

    @Rule
    public RuleChain chain = RuleChain.outerRule(temp).around(fx);

    @Test
    public void signUpConnectsAndProfileRoundTrips() throws Exception {
        Client c = fx.open(fx.config("alice-1").build());
        AccountManager account = c.require(AccountManager.class);
        assertFalse(account.isLoggedIn());
        assertEquals(ConnectionState.DISCONNECTED, c.require(ConnectService.class).state());

        Profile p = get(account.signUp("Alice", "correct horse", "Alice A."));
        assertEquals("alice", p.username());
        assertEquals("Alice A.", p.displayName());
        assertEquals("dev.m800", p.carrier());
        awaitState(c, ConnectionState.CONNECTED);

        Profile fetched = get(account.fetchProfile());
        assertEquals(p.userId(), fetched.userId());
        Profile updated = get(account.updateProfile(null, "at lunch"));
        assertEquals("at lunch", updated.statusMessage());
        assertEquals("at lunch", account.profile().orElseThrow().statusMessage());

        get(account.refresh());
        assertEquals("at lunch", get(account.fetchProfile()).statusMessage());

        get(account.logOut());
        assertFalse(account.isLoggedIn());
        awaitState(c, ConnectionState.DISCONNECTED);
    }

    @Test
    public void restartedClientIsLoggedInAgainWithoutPassword() throws Exception {
        ClientConfig config = fx.config("bob-1").build();
        Client first = fx.open(config);
        Profile p = get(first.require(AccountManager.class).signUp("bob", "password-of-bob", null));
        awaitState(first, ConnectionState.CONNECTED);
        first.close();

        Client second = fx.open(config);
        AccountManager account = second.require(AccountManager.class);
        assertTrue(account.isLoggedIn());
        awaitState(second, ConnectionState.CONNECTED);
        assertEquals(p.userId(), get(account.fetchProfile()).userId());
    }

    @Test
    public void aClientClosedWhileRefreshingKeepsTheRotatedSession() throws Exception {
        ClientConfig config = fx.config("rita-1").build();
        Client first = fx.open(config);
        Profile p = get(first.require(AccountManager.class).signUp("rita", "password-of-rita", null));
        awaitState(first, ConnectionState.CONNECTED);
        // the server rotates both tokens when it answers: the answer must reach the disk
        first.require(AccountManager.class).refresh();
        first.close();

        Client second = fx.open(config);
        AccountManager account = second.require(AccountManager.class);
        assertTrue(account.isLoggedIn());
        awaitState(second, ConnectionState.CONNECTED);
        assertEquals(p.userId(), get(account.fetchProfile()).userId());
        get(account.refresh());
        assertTrue(account.isLoggedIn());
    }

    @Test
    public void wrongPasswordIsUnauthorizedAndTheClientKeepsWorking() throws Exception {
        Client c = fx.open(fx.config("carol-1").build());
        AccountManager account = c.require(AccountManager.class);
        get(account.signUp("carol", "carols-password", null));
        get(account.logOut());
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(account.logIn("carol", "wrong-password")));
        M800Exception cause = (M800Exception) e.getCause();
        assertEquals(cause.getMessage(), ErrorCode.UNAUTHORIZED, cause.code());
        assertTrue(cause.getMessage(), cause.getMessage().contains("BAD_CREDENTIALS"));
        assertFalse(cause.getMessage().contains("wrong-password"));
        get(account.logIn("CAROL", "carols-password"));
        awaitState(c, ConnectionState.CONNECTED);
    }

    @Test
    public void unknownApplicationAndBadSecretAreRefused() throws Exception {
        AppMeta unknown = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
                .applicationKey("no-such-key").applicationSecret("dev-secret").developerKey("dev-developer")
                .applicationVersion("1.0").build();
        Client c1 = fx.open(unknown, fx.config("unknown-app").build());
        M800Exception e1 = failure(c1.require(AccountManager.class).signUp("dave", "daves-password", null));
        assertEquals(e1.getMessage(), ErrorCode.UNAUTHORIZED, e1.code());
        assertTrue(e1.getMessage(), e1.getMessage().contains("UNKNOWN_APPLICATION"));

        AppMeta badSecret = AppMeta.builder().carrier("dev.m800").applicationIdentifier("org.m800.dev")
                .applicationKey("dev-key").applicationSecret("not-the-secret").developerKey("dev-developer")
                .applicationVersion("1.0").build();
        Client c2 = fx.open(badSecret, fx.config("bad-secret").build());
        M800Exception e2 = failure(c2.require(AccountManager.class).signUp("dave", "daves-password", null));
        assertEquals(ErrorCode.UNAUTHORIZED, e2.code());
        assertTrue(e2.getMessage(), e2.getMessage().contains("BAD_SIGNATURE"));

        // the server keeps serving a well-behaved client
        Client ok = fx.open(fx.config("good-app").build());
        get(ok.require(AccountManager.class).signUp("dave", "daves-password", null));
        awaitState(ok, ConnectionState.CONNECTED);
    }

    @Test
    public void badInputIsRefusedBeforeAnythingIsSent() throws Exception {
        Client c = fx.open(fx.config("eve-1").build());
        AccountManager account = c.require(AccountManager.class);
        // core API 1.2's rule: bad input fails the future, it is never thrown
        refused("username 'x' must be 3 to 64", account.signUp("x", "long enough", null));
        refused("password must be 8 to 128 characters", account.signUp("eve", "short", null));
        refused("verificationProof must not be blank", account.signUp("eve", "long enough", null, " "));
        refused("username is required", account.logIn(" ", "whatever1"));
        refused("password is required", account.logIn("eve", ""));
        refused("give a displayName, a statusMessage or both", account.updateProfile(null, null));
        M800Exception taken = failure(CompletableFuture.completedFuture(null).thenCompose(x -> {
            try {
                get(account.signUp("eve", "eves-password", null));
                get(account.logOut());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return account.signUp("eve", "other-password", null);
        }));
        assertEquals(ErrorCode.INVALID_ARGUMENT, taken.code());
        assertTrue(taken.getMessage(), taken.getMessage().contains("USERNAME_TAKEN"));
        // requests while logged out fail clearly
        M800Exception offline = failure(c.require(ConnectService.class).request("profile.get", java.util.Map.of()));
        assertEquals(ErrorCode.NETWORK, offline.code());
    }

    private static void refused(String text, CompletableFuture<?> f) throws Exception {
        M800Exception e = failure(f);
        assertEquals(e.getMessage(), ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(text));
    }

    @Test
    public void logOutEverywhereLogsOutTheOtherDevice() throws Exception {
        Client phone = fx.open(fx.config("hana-phone").build());
        Profile p = get(phone.require(AccountManager.class).signUp("hana", "password-of-hana", null));
        ClientConfig laptopConfig = fx.config("hana-laptop").build();
        Client laptop = fx.open(laptopConfig);
        AccountManager laptopAccount = laptop.require(AccountManager.class);
        get(laptopAccount.logIn("hana", "password-of-hana"));
        awaitState(laptop, ConnectionState.CONNECTED);
        CompletableFuture<Void> laptopLoggedOut = new CompletableFuture<>();
        CompletableFuture<ConnectionStateEvent> laptopDisconnected = new CompletableFuture<>();
        laptopAccount.addListener(new AccountListener() {
            @Override
            public void loggedOut() {
                laptopLoggedOut.complete(null);
            }
        });
        laptop.require(ConnectService.class).onStateChange(e -> {
            if (e.newState() == ConnectionState.DISCONNECTED && e.oldState() != ConnectionState.DISCONNECTED) {
                laptopDisconnected.complete(e);
            }
        });

        int revoked = get(phone.require(AccountManager.class).logOutEverywhere());

        assertEquals("the phone's and the laptop's sessions", 2, revoked);
        assertFalse(phone.require(AccountManager.class).isLoggedIn());
        get(laptopLoggedOut);
        assertFalse(laptopAccount.isLoggedIn());
        ConnectionStateEvent e = get(laptopDisconnected);
        assertEquals(e.reason(), ConnectionFailure.UNAUTHORIZED, e.cause());
        // the laptop's stored session is gone: a client reopened on its data is not logged in
        laptop.close();
        Client reopened = fx.open(laptopConfig);
        assertFalse(reopened.require(AccountManager.class).isLoggedIn());
        // and the password still works
        get(reopened.require(AccountManager.class).logIn("hana", "password-of-hana"));
        awaitState(reopened, ConnectionState.CONNECTED);
        assertEquals(p.userId(), get(reopened.require(AccountManager.class).fetchProfile()).userId());
    }

    @Test
    public void logOutEverywhereWhenLoggedOutFailsWithIllegalState() throws Exception {
        Client c = fx.open(fx.config("nobody").build());
        M800Exception e = failure(c.require(AccountManager.class).logOutEverywhere());
        assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
    }

    static M800Exception failure(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(15, TimeUnit.SECONDS));
        Throwable cause = e.getCause();
        while (!(cause instanceof M800Exception) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return (M800Exception) cause;
    }
}
