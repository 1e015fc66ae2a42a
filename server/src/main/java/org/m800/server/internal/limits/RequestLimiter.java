package org.m800.server.internal.limits;

import java.time.Clock;
import org.m800.server.internal.wire.WireException;

/**
 * The per-user request limits checked where WebSocket requests are dispatched, before a handler
 * runs: every request counts against the user's request bucket, {@code chat.send} also against its
 * message bucket. One instance serves every endpoint, so a user's connections share their buckets.
 * Thread-safe.
 */
public final class RequestLimiter {
    /** The request type counted as a chat message. */
    static final String CHAT_SEND = "chat.send";

    private final TokenBuckets requests;
    private final TokenBuckets messages;

    public RequestLimiter(Clock clock, RateLimits limits) {
        this.requests = new TokenBuckets(clock, limits.requestsPerSecond(), limits.requestBurst());
        this.messages = new TokenBuckets(clock, limits.messagesPerSecond(), limits.messageBurst());
    }

    /**
     * Counts one request of the user, or refuses it (nothing is counted then).
     *
     * @throws WireException RATE_LIMITED {@code REQUEST_RATE} or {@code MESSAGE_RATE} with
     *         {@code retryAfterMs}
     */
    public void check(String userId, String type) throws WireException {
        long wait = requests.take(userId);
        if (wait > 0) {
            throw WireException.rateLimited("REQUEST_RATE", "too many requests from this user; try again in "
                    + wait + " ms", wait);
        }
        if (CHAT_SEND.equals(type)) {
            wait = messages.take(userId);
            if (wait > 0) {
                throw WireException.rateLimited("MESSAGE_RATE", "too many messages from this user; try again in "
                        + wait + " ms", wait);
            }
        }
    }
}
