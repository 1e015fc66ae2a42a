package org.m800.sdk.core.internal;

import java.util.List;
import java.util.concurrent.Executor;

import org.m800.sdk.core.AccountListener;
import org.m800.sdk.core.AccountManager;
import org.m800.sdk.core.ConnectService;
import org.m800.sdk.core.ConnectionState;
import org.m800.sdk.core.ConnectionStateEvent;
import org.m800.sdk.core.FeatureManager;
import org.m800.sdk.core.Profile;
import org.m800.sdk.core.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one {@link FeatureManager}'s session (the logged-in user from the {@link AccountManager},
 * the connection from the {@link ConnectService}) and tells its hooks what changed, in the grammar
 * the base class documents: {@code loggedIn (connected disconnected)* loggedOut}, a quick reconnect
 * still a new pair, a switch of user a log-out and a log-in. What was observed (on the event threads)
 * is kept under a lock; the hooks run one at a time on a serial executor over the disk executor, which
 * alone knows what they were told, and bring that up to what was observed.
 */
public final class SessionHooks {

    private static final Logger LOG = LoggerFactory.getLogger(SessionHooks.class);

    /** The manager's side: its hooks, and whether it is closing. */
    public interface Target {
        /** A user is logged in. */
        void loggedIn(String userId);

        /** The user of the last {@link #loggedIn} is gone. */
        void loggedOut();

        /** The connection is up. */
        void connected();

        /** The connection of the last {@link #connected} is gone. */
        void disconnected();

        /** @return whether the manager's close began: no hook starts any more */
        boolean closing();
    }

    private final String clientId;
    private final String module;
    private final AccountManager account;
    private final ConnectService connect;
    private final Target target;
    /** Runs the hooks one at a time, in order, on the disk executor. */
    private final Executor hooks;
    private final Object lock = new Object();

    // guarded by lock: what the account and the connection said last (written on event threads)
    private boolean started;
    private String observedUser;
    private boolean observedConnected;
    /** Counts the CONNECTED states seen, so that a quick reconnect is still told as a new pair. */
    private long observedConnections;

    // confined to the hook executor: what the hooks were told
    private volatile String hookUser;
    private boolean hookConnected;
    private long hookConnection;

    public SessionHooks(String clientId, String module, AccountManager account, ConnectService connect, Executor disk,
            Target target) {
        this.clientId = clientId;
        this.module = module;
        this.account = account;
        this.connect = connect;
        this.target = target;
        this.hooks = new SerialExecutor(disk);
    }

    /**
     * Starts following; a logged-in user is told soon, on the hook executor. Call once.
     *
     * @return the subscriptions to close when the manager closes
     */
    public List<Subscription> start() {
        synchronized (lock) {
            started = true;
            observedUser = account.profile().map(Profile::userId).orElse(null);
        }
        Subscription profiles = account.addListener(new AccountListener() {
            @Override
            public void profileChanged(Profile profile) {
                SessionHooks.this.profileChanged(profile);
            }

            @Override
            public void loggedOut() {
                SessionHooks.this.profileChanged(null);
            }
        });
        // tells the current state at once (on the event threads)
        Subscription states = connect.onStateChange(this::stateChanged);
        settleLater();
        return List.of(profiles, states);
    }

    /** @return the user the last {@code loggedIn} hook was told of, or null before it and after {@code loggedOut} */
    public String user() {
        return hookUser;
    }

    private void profileChanged(Profile profile) {
        synchronized (lock) {
            observedUser = profile == null ? null : profile.userId();
            if (observedUser == null) {
                observedConnected = false;
            }
        }
        settleLater();
    }

    private void stateChanged(ConnectionStateEvent e) {
        String user = e.newState() == ConnectionState.CONNECTED ? connect.userId() : null;
        synchronized (lock) {
            boolean up = e.newState() == ConnectionState.CONNECTED;
            if (up && !observedConnected) {
                observedConnections++;
            }
            observedConnected = up;
            if (user != null) {
                // the hello names the user even when the profile is not known yet
                observedUser = user;
            }
        }
        settleLater();
    }

    private void settleLater() {
        hooks.execute(this::settle);
    }

    /** On the hook executor: brings what the hooks were told up to what was observed, one hook at a time. */
    private void settle() {
        String user;
        boolean up;
        long connection;
        if (target.closing()) {
            return;
        }
        synchronized (lock) {
            if (!started) {
                return;
            }
            user = observedUser;
            up = observedConnected && user != null;
            connection = observedConnections;
        }
        String told = hookUser;
        if (told != null && !told.equals(user)) {
            if (hookConnected) {
                hookConnected = false;
                hook("onDisconnected", target::disconnected);
            }
            hookUser = null;
            hook("onLoggedOut", target::loggedOut);
        }
        if (hookUser == null && user != null && !target.closing()) {
            hookUser = user;
            hook("onLoggedIn", () -> target.loggedIn(user));
        }
        if (hookUser == null) {
            return;
        }
        if (hookConnected && (!up || hookConnection != connection)) {
            hookConnected = false;
            hook("onDisconnected", target::disconnected);
        }
        if (up && !hookConnected && !target.closing()) {
            hookConnected = true;
            hookConnection = connection;
            hook("onConnected", target::connected);
        }
    }

    private void hook(String name, Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("client {}: {} of module {} threw", clientId, name, module, e);
        }
    }
}
