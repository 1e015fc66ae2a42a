package org.m800.sdk.core.internal.connect;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.m800.sdk.core.ConnectService.Authenticator;

/**
 * The connections that follow one connection's log-in (the call connection, {@code service.connect.call},
 * follows the IM connection): started with its authenticator, stopped when it stops. Closing either
 * side does not close the other. Thread-safe; followers are started and stopped outside the leader's
 * lock, since each takes its own.
 */
final class Followers {

    private final List<WebSocketConnectService> followers = new CopyOnWriteArrayList<>();
    /** the connection the owner follows, or null */
    private volatile WebSocketConnectService leader;

    /** Adds a follower and starts it now with {@code current}, the leader's authenticator, if there is one. */
    void add(WebSocketConnectService leaderService, WebSocketConnectService follower, Authenticator current) {
        follower.followers().leader = leaderService;
        followers.add(follower);
        if (current != null) {
            follower.start(current);
        }
    }

    void remove(WebSocketConnectService follower) {
        followers.remove(follower);
    }

    void startAll(Authenticator auth) {
        for (WebSocketConnectService f : followers) {
            f.start(auth);
        }
    }

    void stopAll(String reason) {
        for (WebSocketConnectService f : followers) {
            f.stop(reason);
        }
    }

    /** The owner closes: it stops following its leader (the leader goes on). */
    void leave(WebSocketConnectService owner) {
        WebSocketConnectService following = leader;
        if (following != null) {
            following.removeFollower(owner);
        }
    }
}
