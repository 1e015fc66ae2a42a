package org.m800.sdk.core;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The module {@value #MODULE}: the WebSocket session of a client with the IM servers
 * ({@link ClientConfig#imServers()}), as {@code docs/protocol.md} describes.
 *
 * <h2>State machine</h2>
 * <pre>
 * DISCONNECTED --start()--&gt; CONNECTING --hello accepted--&gt; CONNECTED
 * CONNECTING --failure on every server--&gt; WAITING --back-off elapsed--&gt; CONNECTING
 * CONNECTED --connection lost / heartbeat timeout--&gt; WAITING (first retry without delay: CONNECTING)
 * CONNECTING or CONNECTED --credentials refused, logged out (4001)--&gt; DISCONNECTED
 * any --stop()--&gt; DISCONNECTED;  any --close()--&gt; CLOSED (final)
 * </pre>
 * Servers are tried in the configured order; after a round in which none answered, the next round
 * waits an exponential back-off with jitter between {@link ClientConfig#reconnectMinDelay()} and
 * {@link ClientConfig#reconnectMaxDelay()}. A connection is declared dead when no frame arrived within
 * {@link ClientConfig#heartbeatTimeout()}; pings go out every {@link ClientConfig#heartbeatInterval()}.
 *
 * <h2>Failures</h2>
 * A state change caused by a failure carries its kind in {@link ConnectionStateEvent#cause()}
 * ({@link ConnectionFailure}: refused, unknown host, TLS, timeout, unauthorized, rejected, lost) from
 * the first failed attempt on. The first failed attempt after {@link #start} or after a working
 * connection is also reported once to the client's {@link ClientEvent#ERROR} listeners (code
 * {@link ErrorCode#NETWORK}, its message naming the server and the kind; a refusal by the server
 * carries the server's code), so an application learns that it cannot connect without waiting for a
 * request's {@link ErrorCode#TIMEOUT}. Later attempts of the same run are not reported again.
 *
 * <h2>Requests</h2>
 * {@link #request(String, Map)} returns at once. A request made while not connected waits in a queue
 * of at most {@link ClientConfig#offlineQueueLimit()} requests and is sent when the connection is up.
 * A request whose answer did not arrive before the connection dropped is sent again, with the same id,
 * on the next connection; the server answers a repeated id with its first answer, so a request takes
 * effect at most once. Every request fails with {@link ErrorCode#TIMEOUT} if it is not answered within
 * {@link ClientConfig#requestTimeout()} of the call. A caller that cancels (or completes) the future
 * withdraws the request from what is sent again on a later connection (since 1.2); a request already
 * written to the current connection may still take effect.
 *
 * <h2>Events</h2>
 * Events pushed by the server go to the event listeners in {@code seq} order, each once; after a
 * reconnect the service resumes from the last event it delivered (kept in {@code service.storage}).
 *
 * <p>Thread-safe. Futures complete and listeners run on the client's event threads, never on an I/O thread.
 */
public interface ConnectService {

    /** The module name. */
    String MODULE = "service.connect";

    /**
     * Supplies what authenticates the {@code hello}. The account module provides it.
     */
    interface Authenticator {
        /** @return the id of the user the tokens belong to; scopes the stored event cursor */
        String userId();

        /**
         * @param refresh {@code true} when the server refused the current token (expired or revoked)
         * @return the access token to use, or a failure: one with {@link ErrorCode#NETWORK},
         *         {@link ErrorCode#TIMEOUT}, {@link ErrorCode#SERVER_ERROR} or {@link ErrorCode#RATE_LIMITED}
         *         counts as a failed attempt (asked again after the back-off); any other stops the
         *         connection (DISCONNECTED)
         */
        CompletableFuture<String> accessToken(boolean refresh);

        /** The server ended the login session (logged out elsewhere, revoked); the service is stopped. */
        default void revoked(String reason) {
        }
    }

    /** @return the current state */
    ConnectionState state();

    /**
     * Starts connecting (and keeps reconnecting) with the given authenticator. Calling it again
     * replaces the authenticator and reconnects.
     *
     * @throws M800Exception ILLEGAL_STATE if the service is closed
     */
    void start(Authenticator authenticator);

    /**
     * Closes the connection and stops reconnecting; queued and unanswered requests fail with
     * {@link ErrorCode#NETWORK}. The state becomes DISCONNECTED. The event cursor is kept.
     */
    void stop(String reason);

    /**
     * Sends a request.
     *
     * @param type the request type, such as {@code profile.get}
     * @param data the payload as plain Java values (maps, lists, strings, numbers, booleans, null)
     * @return the response {@code data}; fails with the server's error mapped to an {@link M800Exception},
     *         TIMEOUT, NETWORK (stopped or closed), RATE_LIMITED (offline queue full), or INVALID_ARGUMENT
     *         if the type is blank or the data cannot be written as JSON. Never throws (since 1.2).
     */
    CompletableFuture<Map<String, Object>> request(String type, Map<String, ?> data);

    /** Subscribes to state changes. A new listener first hears the current state (old state = new state). */
    Subscription onStateChange(Consumer<ConnectionStateEvent> listener);

    /** Subscribes to every server event, in {@code seq} order. */
    Subscription onEvent(Consumer<ServerEvent> listener);

    /**
     * Subscribes to the server saying, as this client resumed, that events after its resume point are
     * no longer in the user's event log (the log's retention, docs/protocol.md 8.3): a feature that keeps
     * a local copy built from events fetches what it would have learnt from them again. Called on the
     * client's event threads, in order with the events: after every event delivered before the
     * connection that resumed, before the events it brings.
     *
     * <p>The default implementation never calls the listener (an override of {@code service.connect}
     * that does not know the signal).
     *
     * @param listener called once per resume that found events missing; must not block
     * @return cancels the subscription
     * @since 1.2
     */
    default Subscription onEventsMissed(Runnable listener) {
        return () -> { };
    }

    /**
     * Wraps the delivery of each run of events. The events that arrived while the client's event
     * thread was busy (a few hundred at most) are delivered to the {@link #onEvent} listeners as one
     * run: {@code around} is called on the event thread with a task that delivers them, and must run
     * that task once, on that thread, before it returns; it may do work before and after, such as
     * writing what a whole run of events changed in a store with one write. The events of a run are
     * acknowledged to the server, and the resume point stored, only after {@code around} returned: what a
     * wrapper wrote is written before the server may forget the events. Wrappers nest, the first added
     * outermost. A wrapper that throws is logged; a run it did not deliver is delivered after it.
     *
     * <p>The default implementation never calls the wrapper (an override of {@code service.connect}
     * that delivers events one by one), so a feature must work without it.
     *
     * @param around wraps one run; must not block (its work is on the shared event threads)
     * @return cancels the subscription
     * @since 1.2
     */
    default Subscription aroundEventRuns(Consumer<Runnable> around) {
        return () -> { };
    }

    /** @return the seq of the last event delivered to listeners, 0 if none */
    long lastSeq();

    /** @return the user id the server confirmed in the last hello, or {@code null} */
    String userId();
}
